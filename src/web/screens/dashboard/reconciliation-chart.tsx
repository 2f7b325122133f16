/** Shopify against QuickBooks per category as a bar chart (loaded only with the reconciliation screen). */
import '@shopify/polaris-viz/build/esm/styles.css';
import { BarChart, PolarisVizProvider } from '@shopify/polaris-viz';

export interface ChartProps {
  categories: { label: string; shopify: string; quickbooks: string }[];
  series: { shopify: string; quickbooks: string };
  formatMoney(amount: string): string;
}

export default function ReconciliationChart(props: ChartProps) {
  // The chart draws bars, so it needs numbers; the figures themselves stay exact strings everywhere else.
  const point = (key: string, value: string) => ({ key, value: Number(value) });
  return (
    <PolarisVizProvider>
      {/* The chart repeats the table above it for the eye. Polaris Viz marks its bars and legend up as lists
          without list items (axe: aria-required-children), so it is kept out of the accessibility tree and the tab
          order; the table is what screen readers and keyboards use. `inert` as a string: React 18 has no boolean
          inert prop (https://github.com/facebook/react/issues/17157). */}
      <figure style={{ margin: 0, height: 320 }} aria-hidden="true" {...{ inert: '' }}>
        <BarChart
          theme="Light"
          data={[
            { name: props.series.shopify, data: props.categories.map((c) => point(c.label, c.shopify)) },
            { name: props.series.quickbooks, data: props.categories.map((c) => point(c.label, c.quickbooks)) },
          ]}
          yAxisOptions={{ labelFormatter: (value) => props.formatMoney(String(value ?? 0)) }}
          tooltipOptions={{ valueFormatter: (value) => props.formatMoney(String(value ?? 0)) }}
        />
      </figure>
    </PolarisVizProvider>
  );
}
