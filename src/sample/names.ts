import type { Profile } from "../profile/types.ts";
import type { Market } from "./markets.ts";
import type { Random } from "./random.ts";

/**
 * Names as a European supplier's book holds them: mostly the market's own, and every market with customers
 * whose names are Greek, Cyrillic, Vietnamese, Polish, Irish or Nordic, so fonts, sorting and email
 * addresses meet every script the engine supports. Surnames that change with gender come in pairs.
 */
interface Culture {
  name: string;
  female: readonly string[];
  male: readonly string[];
  /** Surnames for women and for men; the same list where the language does not inflect them. */
  lastFemale: readonly string[];
  lastMale: readonly string[];
}

const same = (xs: readonly string[]) => ({ lastFemale: xs, lastMale: xs });

const CULTURES: readonly Culture[] = [
  {
    name: "english",
    female: ["Olivia", "Amelia", "Isla", "Grace", "Freya", "Charlotte", "Evie"],
    male: ["Oliver", "George", "Harry", "Arthur", "Noah", "Thomas", "Alfie"],
    ...same(["Smith", "Jones", "Taylor", "Wilson", "Evans", "Hughes", "Walker", "Smith-Jones", "Roberts"]),
  },
  {
    name: "irish",
    female: ["Siobhán", "Aoife", "Niamh", "Caoimhe", "Sinéad", "Róisín"],
    male: ["Seán", "Cian", "Oisín", "Pádraig", "Darragh", "Tadhg"],
    lastFemale: ["Ní Bhriain", "Nic Cárthaigh", "Ní Dhomhnaill", "O'Sullivan", "Murphy", "Byrne"],
    lastMale: ["Ó Briain", "Mac Cárthaigh", "Ó Dónaill", "O'Sullivan", "Murphy", "Byrne"],
  },
  {
    name: "french",
    female: ["Chloé", "Léa", "Manon", "Inès", "Camille", "Zoé"],
    male: ["Émile", "Louis", "Théo", "Raphaël", "Jérôme", "François"],
    ...same(["Lefèvre", "Dubois", "Moreau", "Girard", "Fontaine", "Bénard", "Rousseau"]),
  },
  {
    name: "german",
    female: ["Hannah", "Lea", "Annegret", "Mia", "Käthe", "Jördis"],
    male: ["Jürgen", "Lukas", "Maximilian", "Jörg", "Felix", "Uwe"],
    ...same(["Müller", "Schröder", "Weiß", "Groß", "Krüger", "Hoffmann", "Köhler", "Straßer"]),
  },
  {
    name: "polish",
    female: ["Małgorzata", "Agnieszka", "Zofia", "Łucja", "Jadwiga"],
    male: ["Łukasz", "Wojciech", "Grzegorz", "Paweł", "Mikołaj"],
    lastFemale: ["Wróblewska", "Wąsowska", "Kowalska", "Dąbrowska", "Zielińska"],
    lastMale: ["Wróblewski", "Wąsowski", "Kowalski", "Dąbrowski", "Zieliński"],
  },
  {
    name: "nordic",
    female: ["Åsa", "Sigrún", "Ingrid", "Astrid", "Þórunn", "Sølvi"],
    male: ["Søren", "Bjørn", "Björn", "Øystein", "Håkon", "Ólafur"],
    ...same(["Ødegård", "Sørensen", "Åberg", "Lindström", "Bjørnstad", "Næss"]),
  },
  {
    name: "greek",
    female: ["Ελένη", "Μαρία", "Αικατερίνη", "Σοφία"],
    male: ["Αλέξανδρος", "Γιώργος", "Δημήτρης", "Νίκος"],
    lastFemale: ["Παπαδοπούλου", "Οικονόμου", "Γεωργίου", "Καραγιάννη"],
    lastMale: ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Καραγιάννης"],
  },
  {
    name: "cyrillic",
    female: ["Анна", "Ольга", "Наталья", "Олена"],
    male: ["Дмитрий", "Сергей", "Олександр", "Иван"],
    lastFemale: ["Иванова", "Петрова", "Смирнова", "Шевченко"],
    lastMale: ["Иванов", "Петров", "Смирнов", "Шевченко"],
  },
  {
    name: "vietnamese",
    female: ["Thị Hương", "Thu Trang", "Ngọc Ánh", "Thị Lan"],
    male: ["Văn Minh", "Quốc Bảo", "Đức Anh", "Hữu Phước"],
    ...same(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng"]),
  },
  {
    name: "international",
    female: ["María José", "Fatima", "Priya", "Wei", "Adaeze"],
    male: ["José", "Mohammed", "Arjun", "Chen", "Chukwuemeka"],
    ...same(["Núñez", "Khan", "Patel", "Chen", "Okafor", "van der Berg"]),
  },
];

/** The culture most of a market's customers' names come from; the rest share what is left evenly. */
const HOME: Record<Market["country"], string> = { GB: "english", IE: "irish", FR: "french", DE: "german" };
const HOME_SHARE = 0.55;

const TITLES: Record<Market["language"], { female: readonly string[]; male: readonly string[] }> = {
  en: { female: ["Ms", "Mrs", "Miss", "Dr", "Mx", ""], male: ["Mr", "Mr", "Dr", "Mx", ""] },
  fr: { female: ["Mme", "Mme", "Dr", ""], male: ["M.", "M.", "Dr", ""] },
  de: { female: ["Frau", "Frau", "Dr.", ""], male: ["Herr", "Herr", "Dr.", ""] },
};

export function sampleName(r: Random, market: Market): Profile["name"] {
  const home = HOME[market.country];
  const others = CULTURES.filter((c) => c.name !== home);
  const culture = r.chance(HOME_SHARE) ? CULTURES.find((c) => c.name === home)! : r.pick(others);
  const female = r.chance(0.5);
  return {
    title: r.pick(TITLES[market.language][female ? "female" : "male"]),
    first: r.pick(female ? culture.female : culture.male),
    last: r.pick(female ? culture.lastFemale : culture.lastMale),
  };
}

/** Letters that do not decompose into a base letter and a mark. */
const FOLD: Record<string, string> = { ł: "l", ø: "o", æ: "ae", ß: "ss", đ: "d", þ: "th", ð: "d" };

/** The Latin-letter local part of an email address, as a supplier's sign-up form would have made it. */
export function emailLocalPart(name: Profile["name"]): string {
  const ascii = (s: string) =>
    s
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/[łøæßđþð]/g, (c) => FOLD[c])
      .replace(/[^a-z]/g, "");
  return [ascii(name.first), ascii(name.last)].filter(Boolean).join(".") || "customer";
}
