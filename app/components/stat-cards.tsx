/** A row of figures, one card each (label above, value below, an optional line under it), as the home and customers pages show them. */
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

export interface StatCard {
  /** Also the card's `data-stat`, which tests read. */
  key: string;
  label: string;
  value: string;
  /** A short line under the value ("100 % of today's messages"). */
  help?: string | undefined;
}

export function StatCards({ cards, testId, size = "heading2xl", columns = 4 }: { cards: StatCard[]; testId: string; size?: "heading2xl" | "headingLg"; columns?: 4 | 5 }) {
  return (
    <div data-testid={testId}>
      <InlineGrid columns={{ xs: 2, md: columns }} gap="400">
        {cards.map((card) => (
          <Card key={card.key}>
            <BlockStack gap="100">
              <Text as="h2" variant="headingSm" tone="subdued">
                {card.label}
              </Text>
              <div data-stat={card.key}>
                <Text as="p" variant={size}>
                  {card.value}
                </Text>
              </div>
              {card.help ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {card.help}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
    </div>
  );
}
