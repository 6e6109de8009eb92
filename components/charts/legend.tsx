// The legend of every chart: above the plot, the series in the order they
// are drawn, their names in the page's text colour.
import type { LegendProps } from "recharts";
import { CHART_TEXT, legendOrder } from "./chart-time";

export const LEGEND_PROPS = {
  verticalAlign: "top",
  itemSorter: legendOrder,
  height: 24,
  iconSize: 10,
  wrapperStyle: { fontSize: 12 },
  formatter: (value: string) => <span style={CHART_TEXT}>{value}</span>,
} satisfies LegendProps;
