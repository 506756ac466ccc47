import { useEffect, useState } from "preact/hooks";
import { type ProofView, RefusedError, type Release, type ReleaseShown, api } from "./api.ts";
import { ReleaseDiff } from "./release-diff.tsx";

interface Props {
  template: string;
  runDate: string;
}

const when = (iso: string) => iso.replace("T", " ").slice(0, 16);

/**
 * The template's releases: each with its state and every move (who, when, what they said); a release's proof
 * set shown document by document with its hash; and the moves the person signed in may make. Approving sends
 * the hash of the proof set on screen, so the approval records what the approver saw. A refusal (four eyes, a
 * missing scope, a state that forbids the move) is said in words.
 */
export function ReleasesView({ template, runDate }: Props) {
  const [list, setList] = useState<Release[]>([]);
  const [selected, setSelected] = useState<string>();
  const [shown, setShown] = useState<ReleaseShown>();
  const [doc, setDoc] = useState<ProofView>();
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const [diff, setDiff] = useState<Awaited<ReturnType<typeof api.compare>>>();

  const refresh = async (id = selected) => {
    const { releases } = await api.releases(template);
    setList(releases);
    const pick = id ?? releases[0]?.id;
    if (pick) await open(pick);
  };
  const open = async (id: string) => {
    setSelected(id);
    setDoc(undefined);
    setDiff(undefined);
    setShown(await api.release(id));
  };
  useEffect(() => {
    void refresh(undefined);
  }, [template]);

  /** Runs a request; a move (not a comparison) reloads the list and the release it moved. */
  const act = async (what: string, run: () => Promise<unknown>, moves = true) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const answer = (await run()) as { release?: Release };
      if (moves) {
        setComment("");
        await refresh(answer?.release?.id);
      }
      setMessage({ ok: true, text: `${what}: done.` });
    } catch (err) {
      const words = err instanceof RefusedError ? err.problems.map((p) => p.message).join(" ") : (err as Error).message;
      setMessage({ ok: false, text: `${what} refused: ${words}` });
    } finally {
      setBusy(false);
    }
  };

  const release = shown?.release;
  const proof = shown?.proof;
  return (
    <div class="releases">
      <nav class="panel release-list" aria-labelledby="release-list-title">
        <div class="panel-head">
          <h2 id="release-list-title">Releases of {template}</h2>
        </div>
        <button
          type="button"
          class="button"
          id="release-propose"
          disabled={busy}
          onClick={() => act("Propose", () => api.propose(template, runDate))}
        >
          Propose the current version
        </button>
        <ul>
          {list.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                id={`release-${r.id.slice(0, 12)}`}
                aria-current={r.id === selected ? "true" : undefined}
                onClick={() => void open(r.id)}
              >
                <span class="release-id">{r.id.slice(0, 12)}</span>
                <span class={`state state-${r.state}`}>{r.state}</span>
                <span class="release-by">
                  v{r.templateVersion} · {r.steps.at(-1)?.action} by {r.steps.at(-1)?.by}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {list.length === 0 && <p class="muted">No release yet: save an offer, or propose the current version.</p>}
      </nav>
      <main class="panel release-detail" id="release-detail" tabIndex={-1}>
        <div role="status" aria-live="polite" id="release-message" class={message?.ok === false ? "bad" : "ok"}>
          {message?.text}
        </div>
        {release ? (
          <>
            <div class="panel-head">
              <h2>
                Release <code>{release.id.slice(0, 12)}</code>
              </h2>
              <span class={`state state-${release.state}`} id="release-state">
                {release.state}
              </span>
            </div>
            <table class="steps">
              <caption>Who moved it</caption>
              <thead>
                <tr>
                  <th scope="col">Move</th>
                  <th scope="col">State</th>
                  <th scope="col">By</th>
                  <th scope="col">When</th>
                  <th scope="col">Comment</th>
                </tr>
              </thead>
              <tbody>
                {release.steps.map((s, i) => (
                  <tr key={i}>
                    <td>{s.action}</td>
                    <td>
                      {s.from ?? "new"} → {s.to}
                    </td>
                    <td>{s.by}</td>
                    <td>{when(s.at)}</td>
                    <td>{s.comment ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {proof ? (
              <section aria-labelledby="proof-title">
                <h3 id="proof-title">Proof set of {proof.runDate}</h3>
                <p>
                  Hash <code id="proof-hash">{proof.hash}</code>
                </p>
                <ul class="proof-docs">
                  {proof.documents.map((d) => (
                    <li key={d.path}>
                      <button
                        type="button"
                        class="link"
                        aria-current={doc?.path === d.path ? "true" : undefined}
                        onClick={() => void api.proofDocument(release.id, d.path).then(setDoc)}
                      >
                        {d.label} · {d.channel}
                      </button>
                    </li>
                  ))}
                </ul>
                {doc && <ProofDocumentView doc={doc} />}
              </section>
            ) : (
              <p class="muted">No proof set yet: proposing renders one.</p>
            )}
            <div class="release-actions">
              <label class="form-field">
                <span>Comment (required to reject)</span>
                <textarea
                  id="release-comment"
                  rows={2}
                  value={comment}
                  onInput={(e) => setComment(e.currentTarget.value)}
                />
              </label>
              <button
                type="button"
                class="button primary"
                id="release-approve"
                disabled={busy || !proof}
                onClick={() =>
                  act("Approve", () =>
                    api.moveRelease(release.id, "approve", { seen: proof!.hash, ...(comment && { comment }) }),
                  )
                }
              >
                Approve what is shown
              </button>
              <button
                type="button"
                class="button"
                id="release-reject"
                disabled={busy || !comment}
                onClick={() => act("Reject", () => api.moveRelease(release.id, "reject", { comment }))}
              >
                Reject
              </button>
              <button
                type="button"
                class="button"
                id="release-compare"
                disabled={busy}
                onClick={() => act("Compare", async () => setDiff(await api.compare(release.id, runDate)), false)}
              >
                Compare with the released version
              </button>
              <button
                type="button"
                class="button"
                id="release-publish"
                disabled={busy}
                onClick={() => act("Publish", () => api.moveRelease(release.id, "publish", comment ? { comment } : {}))}
              >
                Publish
              </button>
            </div>
            {diff && <ReleaseDiff diff={diff} />}
          </>
        ) : (
          <p class="muted">Pick a release.</p>
        )}
      </main>
    </div>
  );
}

function ProofDocumentView({ doc }: { doc: ProofView }) {
  return (
    <figure class="proof-doc" id="proof-doc">
      <figcaption>
        {doc.label} · {doc.channel} · <code>{doc.sha256.slice(0, 12)}</code>
      </figcaption>
      {doc.pdf && (
        <div class="proof-pages">
          {doc.pdf.pageUrls.map((u, i) => (
            <img key={u} src={u} alt={`Page ${i + 1} of the statement`} width={496} />
          ))}
        </div>
      )}
      {doc.email && (
        <>
          <p>
            <strong>Subject:</strong> {doc.email.subject}
          </p>
          <iframe title={`Email: ${doc.email.subject}`} src={doc.email.htmlUrl} sandbox="" width={640} height={600} />
        </>
      )}
      {doc.text !== undefined && <pre class="proof-sms">{doc.text}</pre>}
    </figure>
  );
}
