/** A row of figures, one card each (label above, value below), as the customers pages show them. */
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

export interface StatCard {
  /** Also the card's `data-stat`, which tests read. */
  key: string;
  label: string;
  value: string;
}

export function StatCards({ cards, testId, size = "heading2xl" }: { cards: StatCard[]; testId: string; size?: "heading2xl" | "headingLg" }) {
  return (
    <div data-testid={testId}>
      <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
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
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
    </div>
  );
}
