import type { Shown } from "./use-preview.ts";
import { Pane } from "./pane.tsx";

/** Every page of the real PDF, rasterised on the server; each page's text is there for screen readers and find. */
export function PdfPane({ preview }: { preview: Shown }) {
  const pdf = preview.pdf;
  const absent = preview.problems.filter((p) => p.code.startsWith("OMD_PDF_"));
  return (
    <Pane
      id="pdf"
      title="Print"
      stale={preview.stale.includes("pdf")}
      absent={pdf ? undefined : absent}
      info={
        pdf && (
          <span>
            PDF · {pdf.pages} page{pdf.pages === 1 ? "" : "s"}
          </span>
        )
      }
      actions={
        pdf && (
          <a class="button" href={pdf.pdfUrl} target="_blank" rel="noopener">
            Open PDF
          </a>
        )
      }
    >
      {pdf && (
        <ol class="pages">
          {pdf.pageUrls.map((url, i) => (
            <li key={url}>
              <figure>
                <img src={url} alt={`Page ${i + 1} of ${pdf.pages}`} width={993} height={1404} />
                <figcaption>
                  Page {i + 1} of {pdf.pages}
                </figcaption>
                <div class="page-text sr-only">{pdf.texts[i]}</div>
              </figure>
            </li>
          ))}
        </ol>
      )}
    </Pane>
  );
}
