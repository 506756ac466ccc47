/**
 * A queue of asynchronous tasks run one after another, in the order given: each starts once the one before it
 * has settled, whether it succeeded or failed.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = last.then(task);
    last = run.catch(() => {});
    return run;
  };
}
