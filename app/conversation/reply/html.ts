/**
 * The HTML part of an email reply. Everything that comes from data (product titles, names, the
 * shop's signature, an override's text) is escaped; links are emitted only for http(s) URLs.
 */
import type { Inline } from "./body";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Escaped text with its line breaks as <br>. */
export function htmlText(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, "<br>");
}

export function htmlInline(part: Inline): string {
  if (typeof part === "string") return htmlText(part);
  if ("bold" in part) return `<strong>${htmlText(part.bold)}</strong>`;
  if (/^https?:\/\//i.test(part.link)) return `<a href="${escapeHtml(part.link)}">${htmlText(part.link)}</a>`;
  return htmlText(part.link);
}

/** A whole document: email clients render a fragment inconsistently. */
export function htmlDocument(paragraphs: string[], language: string): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${p}</p>`).join("\n");
  return `<!doctype html>\n<html lang="${escapeHtml(language)}">\n<head><meta charset="utf-8"></head>\n<body style="font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#222">\n${body}\n</body>\n</html>`;
}
