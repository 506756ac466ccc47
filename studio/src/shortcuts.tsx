import { useEffect, useRef } from "preact/hooks";

const KEYS: [string, string][] = [
  ["[ / ]", "previous / next sample customer"],
  ["↑ ↓ Home End", "move in the customer list"],
  ["c", "focus the customer list"],
  ["e", "edit the profile JSON"],
  ["d", "change the run date"],
  ["p", "switch between preview and proof sheet"],
  ["?", "this help"],
  ["Esc", "leave a field or close this help"],
];

/** Single-key shortcuts, ignored while the person types in a field. */
export function useShortcuts(actions: Record<string, () => void>): void {
  const current = useRef(actions);
  current.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === "Escape" && t instanceof HTMLElement && t.matches("input, textarea, select")) t.blur();
      if (e.ctrlKey || e.metaKey || e.altKey || t.matches?.("input, textarea, select, [contenteditable]")) return;
      const action = current.current[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
}

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} class="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {KEYS.map(([k, what]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" class="button">
          Close
        </button>
      </form>
    </dialog>
  );
}
