import { useState } from "preact/hooks";

/** Shown when the browser has no session: the studio sits behind the API's keys (scope `preview`). */
export function SignIn({ error, onSignIn }: { error?: string; onSignIn: (key: string) => void }) {
  const [key, setKey] = useState("");
  return (
    <main class="sign-in">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onSignIn(key.trim());
        }}
      >
        <h1>omnidoc studio</h1>
        <p>
          Sign in with an API key that has the <code>preview</code> scope.
        </p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          autofocus
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
