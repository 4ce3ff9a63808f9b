/**
 * A reply's content before it meets a channel: blocks of text with bold parts and links. The same
 * body becomes plain SMS text, WhatsApp text with *bold*, and an email's text and HTML parts
 * (render.ts), so the three never say different things.
 */
export type Inline = string | { bold: string } | { link: string };

export interface Block {
  parts: Inline[];
  /**
   * How the block follows the previous one: "space" continues the same paragraph, "line" starts a
   * new line of the same paragraph, "paragraph" (the default) starts a new paragraph.
   */
  join?: "space" | "line" | "paragraph";
}

export interface Body {
  blocks: Block[];
  /** The template's emoji, used only when the shop's tone has emoji (and, on SMS, when it is worth it). */
  emoji: string | null;
  /** "Bonjour Julie !" before the body; false for keyword answers (STOP, START, HELP). */
  greet: boolean;
  /** The shop's signature after the body; false for keyword answers, which name the shop themselves. */
  sign: boolean;
}

export function block(...parts: Inline[]): Block {
  return { parts };
}

/** A block continuing the previous paragraph. */
export function inline(...parts: Inline[]): Block {
  return { parts, join: "space" };
}

/** A block on the next line of the same paragraph. */
export function line(...parts: Inline[]): Block {
  return { parts, join: "line" };
}

/** Plain text of a block (bold as plain, links as the URL). */
export function plainParts(parts: Inline[]): string {
  return parts.map((p) => (typeof p === "string" ? p : "bold" in p ? p.bold : p.link)).join("");
}

/** Blocks → paragraphs, each a list of inline parts ("\n" strings for line breaks). */
export function paragraphs(blocks: Block[]): Inline[][] {
  const out: Inline[][] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    const join = b.join ?? "paragraph";
    if (!last || join === "paragraph") out.push([...b.parts]);
    else last.push(join === "space" ? " " : "\n", ...b.parts);
  }
  return out;
}

/** A paragraph as chat text; WhatsApp shows bold as *text*. */
export function chatParagraph(parts: Inline[], bold: "plain" | "whatsapp"): string {
  return parts
    .map((p) => {
      if (typeof p === "string") return p;
      if ("link" in p) return p.link;
      const text = p.bold.trim();
      // WhatsApp bold: *text*, with no space just inside the asterisks (WhatsApp help, "How to format your messages").
      return bold === "whatsapp" && text ? `*${text}*` : p.bold;
    })
    .join("");
}
