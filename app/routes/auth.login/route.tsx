import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

type LoginErrors = { shop?: string };

function errorMessage(errors: LoginError | undefined): LoginErrors {
  if (!errors?.shop) return {};
  return {
    shop: errors.shop === LoginErrorType.MissingShop ? "Please enter your shop domain to log in" : "Please enter a valid shop domain to log in",
  };
}

/** Log in outside the admin (e.g. from the App Store listing): asks for the shop domain. */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  return { errors: errorMessage(await context.services.shopify.login(request)) };
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  return { errors: errorMessage(await context.services.shopify.login(request)) };
};

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const { errors } = actionData ?? loaderData;
  return (
    <PolarisAppProvider i18n={polarisTranslations}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                Log in to Coccinelle
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={errors.shop}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
