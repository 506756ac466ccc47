import { profileSchema } from "../profile/index.ts";

/**
 * The names an eligibility expression may use, read from the profile schema so the two never drift:
 * every dotted path from the root through objects (`account.inArrears`, `usage.monthly`), and every
 * property name an object in the schema has, for `name of object` look-ups.
 */
export interface ProfileFields {
  paths: ReadonlySet<string>;
  members: ReadonlySet<string>;
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

export const PROFILE_FIELDS: ProfileFields = (() => {
  const paths = new Set<string>();
  const members = new Set<string>();
  // `prefix` is undefined below an array: elements have no dotted path, only member names.
  const walk = (node: SchemaNode, prefix: string | undefined): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      members.add(key);
      const path = prefix === undefined ? undefined : prefix === "" ? key : `${prefix}.${key}`;
      if (path !== undefined) paths.add(path);
      walk(child, path);
    }
    if (node.items) walk(node.items, undefined);
  };
  walk(profileSchema as SchemaNode, "");
  return { paths, members };
})();
