export * from "./sessions";
export * from "./shops";
export * from "./channel-accounts";
export * from "./customers";
export * from "./conversations";
export * from "./webhook-events";
