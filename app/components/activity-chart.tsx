/**
 * The home page's 30-day chart: messages received per day (bars) and the automation rate (line,
 * its own axis in %), drawn with @shopify/polaris-viz. The chart measures its container, which only
 * exists in the browser: the server renders Polaris' chart skeleton in its place, same height, so
 * nothing moves when it appears.
 */
import { useEffect, useState } from "react";
import { ChartSkeleton, ComboChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { ComboChartProps } from "@shopify/polaris-viz";

export interface ActivityPoint {
  /** Axis label for the day, already formatted in the admin's language. */
  label: string;
  received: number;
  /** Share of the day's messages the AI answered without handing over, 0–100; null without messages. */
  automationRate: number | null;
}

const HEIGHT = 260;

export function ActivityChart({ points, names }: { points: ActivityPoint[]; names: { received: string; automationRate: string } }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const data: ComboChartProps["data"] = [
    { shape: "Bar", name: names.received, series: [{ name: names.received, data: points.map((p) => ({ key: p.label, value: p.received })) }] },
    {
      shape: "Line",
      name: names.automationRate,
      yAxisOptions: { labelFormatter: (value) => `${Number(value ?? 0)} %` },
      series: [{ name: names.automationRate, data: points.map((p) => ({ key: p.label, value: p.automationRate })) }],
    },
  ];
  return (
    <div style={{ height: HEIGHT }} data-testid="activity-chart">
      {inBrowser ? (
        <PolarisVizProvider>
          {/* Drawn at once: she reads it at a glance, and bars growing from zero would say zero first. */}
          <ComboChart data={data} showLegend theme="Light" isAnimated={false} />
        </PolarisVizProvider>
      ) : (
        <ChartSkeleton theme="Light" />
      )}
    </div>
  );
}
