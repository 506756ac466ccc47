/** What a PDF says about itself, once for the Info dictionary and once for the XMP packet. */
export interface DocumentFacts {
  title: string;
  author: string;
  subject: string;
  creator: string;
  producer: string;
  created: Date;
  modified: Date;
  /** PDF/A-3b: the pdfuaid schema, which PDF/A does not predefine, is then described by an extension schema. */
  pdfa: boolean;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An XMP date of the same instant and time zone (UTC, `Z`) as the Info dictionary's `D:…Z`. */
const xmpDate = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(value)}</rdf:li></rdf:Alt>`;

/** The extension schema PDF/A (ISO 19005-3, 6.6.2.3.3) asks for before a pdfuaid property may be used. */
const PDFUA_EXTENSION = `<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>Indicates which part of ISO 14289 the document conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>`;

/**
 * The XMP descriptions of a document: the same title, author, subject, tools and dates as its Info dictionary
 * (PDF/A requires them equal), and the PDF/UA-1 identifier. Values are escaped: a brand called `Smith & Co`
 * stays well-formed XML.
 */
export function xmpDescriptions(f: DocumentFacts): string {
  return [
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
  <xmp:CreateDate>${xmpDate(f.created)}</xmp:CreateDate>
  <xmp:ModifyDate>${xmpDate(f.modified)}</xmp:ModifyDate>
  <xmp:MetadataDate>${xmpDate(f.modified)}</xmp:MetadataDate>
  <xmp:CreatorTool>${escapeXml(f.creator)}</xmp:CreatorTool>
</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:format>application/pdf</dc:format>
  <dc:title>${alt(f.title)}</dc:title>
  <dc:creator><rdf:Seq><rdf:li>${escapeXml(f.author)}</rdf:li></rdf:Seq></dc:creator>
  ${f.subject ? `<dc:description>${alt(f.subject)}</dc:description>` : ""}
</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
  <pdf:Producer>${escapeXml(f.producer)}</pdf:Producer>
</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
  <pdfuaid:part>1</pdfuaid:part>
</rdf:Description>`,
    ...(f.pdfa ? [PDFUA_EXTENSION] : []),
  ].join("\n");
}
