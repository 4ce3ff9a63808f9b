import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

/** A run that records its batches and finishes when told to. */
function controlledRun() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  return {
    batches,
    finishNext: () => finish.shift()?.(),
    run: (items: number[]) =>
      new Promise<string[]>((resolve) => {
        batches.push(items);
        finish.push(() => resolve(items.map((n) => `r${n}`)));
      }),
  };
}

/** Lets the settled runs' callbacks (resolve, then finally) go. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("createBatcher", () => {
  it("runs a lone item at once, and groups the items that arrive while every run is busy", async () => {
    const control = controlledRun();
    const submit = createBatcher({ run: control.run, maxBatch: 3, maxInFlight: 1 });
    const first = submit(1);
    expect(control.batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((n) => submit(n));
    expect(control.batches).toEqual([[1]]);
    control.finishNext();
    expect(await first).toBe("r1");
    await settle();
    expect(control.batches).toEqual([[1], [2, 3, 4]]);
    control.finishNext();
    await settle();
    expect(control.batches).toEqual([[1], [2, 3, 4], [5]]);
    control.finishNext();
    expect(await Promise.all(rest)).toEqual(["r2", "r3", "r4", "r5"]);
  });

  it("keeps up to maxInFlight runs going", () => {
    const control = controlledRun();
    const submit = createBatcher({ run: control.run, maxBatch: 10, maxInFlight: 2 });
    void submit(1);
    void submit(2);
    void submit(3);
    void submit(4);
    expect(control.batches).toEqual([[1], [2]]);
  });

  it("rejects every item of a batch whose run fails, and goes on with the next", async () => {
    let calls = 0;
    const submit = createBatcher<number, number>({
      run: async (items) => {
        calls++;
        if (calls === 1) throw new Error("database down");
        return items.map((n) => n * 10);
      },
      maxBatch: 5,
      maxInFlight: 1,
    });
    const failed = submit(1);
    const later = submit(2);
    await expect(failed).rejects.toThrow("database down");
    expect(await later).toBe(20);
  });

  it("rejects the batch when the run answers the wrong number of results", async () => {
    const submit = createBatcher<number, number>({ run: async () => [], maxBatch: 5, maxInFlight: 1 });
    await expect(submit(1)).rejects.toThrow("answered 0 results for 1 items");
  });
});
