/**
 * A small structured logger: one JSON object per line on stderr, or nothing at all (tests).
 * Passed in as a dependency; there is no global logger.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: {
  level?: LogLevel | "silent";
  bindings?: LogFields;
  write?: (line: string) => void;
} = {}): Logger {
  const level = options.level ?? "info";
  const bindings = options.bindings ?? {};
  const write = options.write ?? stderrByTurn();
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (level === "silent" || ORDER[lvl] < ORDER[level]) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...bindings, ...fields }, errorReplacer));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger({ level, bindings: { ...bindings, ...fields }, write }),
  };
}

/**
 * Lines to stderr, written together once per turn of the event loop: a write to a pipe is a
 * synchronous system call on Linux (https://nodejs.org/api/process.html#a-note-on-process-io), one
 * per line for every webhook under `npm run bench`. What is pending when the process exits is
 * written then, in order (the exit listener is there only while something is pending).
 */
export function stderrByTurn(stream: Pick<NodeJS.WriteStream, "write"> = process.stderr): (line: string) => void {
  let pending = "";
  const flush = () => {
    process.off("exit", flush);
    if (pending === "") return;
    const out = pending;
    pending = "";
    stream.write(out);
  };
  return (line) => {
    if (pending === "") {
      setImmediate(flush);
      process.once("exit", flush);
    }
    pending += line + "\n";
  };
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export const silentLogger: Logger = createLogger({ level: "silent" });
