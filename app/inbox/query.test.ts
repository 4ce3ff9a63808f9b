import { describe, expect, it } from "vitest";
import { defaultTab, parseInboxQuery } from "./query";

describe("the inbox list's URL", () => {
  it("reads the tab, filters, search and page, ignoring what it does not know", () => {
    const params = new URLSearchParams("tab=ai_handled&channel=whatsapp&status=closed&segment=vip&q=%20julie%20&after=c1&locale=fr&shop=x");
    expect(parseInboxQuery(params)).toEqual({ tab: "ai_handled", channel: "whatsapp", status: "closed", segment: "vip", search: "julie", after: "c1" });
    expect(parseInboxQuery(new URLSearchParams("tab=spam&channel=fax&status=deleted&segment=rich&q=%20%20"))).toEqual({
      tab: null,
      channel: null,
      status: null,
      segment: null,
      search: null,
      after: null,
    });
  });

  it("opens on what needs her when something does, else on everything", () => {
    expect(defaultTab(2)).toBe("needs_you");
    expect(defaultTab(0)).toBe("all");
  });
});
