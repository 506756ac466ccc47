import type { ChartTheme } from "../../src/assets/chart/index.ts";

/** The sample theme's colours, as the chart tests draw with them. */
export const CHART_THEME: ChartTheme = {
  colours: {
    primary: "#0B4F6C",
    secondary: "#01BAEF",
    text: "#1D2A33",
    muted: "#5B6B75",
    border: "#C9D6DE",
    background: "#FFFFFF",
  },
};
