/** A Polaris card headed by its title (and an optional action beside it), as every admin page lays out its parts. */
import type { ReactNode } from "react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";

export function TitledCard({
  title,
  action,
  testId,
  gap = "300",
  children,
}: {
  title: string;
  /** Shown at the right of the title (a link to more). */
  action?: ReactNode;
  /** `data-testid` on a wrapper, which browser tests read. */
  testId?: string;
  gap?: "300" | "400";
  children: ReactNode;
}) {
  const heading = (
    <Text as="h2" variant="headingMd">
      {title}
    </Text>
  );
  const card = (
    <Card>
      <BlockStack gap={gap}>
        {action ? (
          <InlineStack align="space-between" blockAlign="center">
            {heading}
            {action}
          </InlineStack>
        ) : (
          heading
        )}
        {children}
      </BlockStack>
    </Card>
  );
  return testId ? <div data-testid={testId}>{card}</div> : card;
}
