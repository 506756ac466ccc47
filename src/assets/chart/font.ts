/**
 * The family name the chart's text is drawn in. SVG output names this family, so a PDF painter that
 * registers the same font file under this exact name keeps the chart's text selectable.
 */
export const CHART_FONT_FAMILY = "OmnidocChart";
