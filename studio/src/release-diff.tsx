import type { DocumentDiffShown, ImageShown, Problem } from "./api.ts";

type WordDiff = NonNullable<DocumentDiffShown["sms"]>;

/** A text compared word by word: removed words struck through, added ones marked. */
function Words({ diff, label }: { diff: WordDiff; label: string }) {
  return (
    <p class="words">
      <span class="words-label">{label}: </span>
      {diff.map((run, i) =>
        run.kind === "removed" ? (
          <del key={i}>{run.text}</del>
        ) : run.kind === "added" ? (
          <ins key={i}>{run.text}</ins>
        ) : (
          <span key={i}>{run.text}</span>
        ),
      )}
    </p>
  );
}

/** The released image beside the new one and the new one with its changed pixels highlighted. */
function Images({ image, what }: { image: ImageShown; what: string }) {
  if (image.changedPixels === 0) return <p class="muted">{what}: unchanged.</p>;
  return (
    <figure class="image-diff" data-changed={image.changedPixels}>
      <figcaption>
        {what}: {image.changedPixels.toLocaleString("en")} pixels changed
      </figcaption>
      <div class="side-by-side">
        {image.base && <img src={image.base} alt={`${what}, released version`} width={330} />}
        {image.next && <img src={image.next} alt={`${what}, this release`} width={330} />}
        {image.highlighted && <img src={image.highlighted} alt={`${what}, changes highlighted`} width={330} />}
      </div>
    </figure>
  );
}

/** Each curated customer's documents in this release against the released version, changed ones first. */
export function ReleaseDiff({
  diff,
}: {
  diff: { against: string; documents: DocumentDiffShown[]; problems: Problem[] };
}) {
  const changed = diff.documents.filter((d) => !d.unchanged);
  return (
    <section class="release-diff" id="release-diff" aria-labelledby="release-diff-title">
      <h3 id="release-diff-title">
        Against the released version <code>{diff.against.slice(0, 12)}</code>: {changed.length} of{" "}
        {diff.documents.length} sample customers' documents change
      </h3>
      {diff.problems.length > 0 && (
        <ul class="problems">
          {diff.problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {changed.map((d) => (
        <article key={d.customerId} class="customer-diff" data-customer={d.customerId}>
          <h4>
            {d.label} · {d.customerId}
          </h4>
          {d.pdf?.pages.map((p) => (
            <Images key={p.page} image={p} what={`Statement page ${p.page}`} />
          ))}
          {d.email && (
            <>
              <Words diff={d.email.subject} label="Email subject" />
              <Words diff={d.email.text} label="Email text" />
              {d.email.screenshot && <Images image={d.email.screenshot} what="Email" />}
            </>
          )}
          {d.sms && <Words diff={d.sms} label="SMS" />}
        </article>
      ))}
    </section>
  );
}
