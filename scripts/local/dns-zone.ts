import fs from 'node:fs';
import path from 'node:path';

/**
 * The local DNS server's zone file (scripts/local/dns-server.cjs reads it on
 * every query): `{ "txt": { "<name>": ["<value>", ...] }, "servfail"?: ["<name>"] }`.
 * Written whole to a temporary file and renamed, so the server never reads half of it.
 */
export type Zone = { txt: Record<string, string[]>; servfail?: string[] };

export const normalizeName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

export const readZone = (zoneFile: string): Zone => {
  try {
    const zone = JSON.parse(fs.readFileSync(zoneFile, 'utf8')) as Partial<Zone>;
    return { ...zone, txt: zone.txt ?? {} };
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { txt: {} };
    throw err;
  }
};

export const writeZone = (zoneFile: string, zone: Zone): void => {
  fs.mkdirSync(path.dirname(zoneFile), { recursive: true });
  const temporary = `${zoneFile}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(zone, null, 2)}\n`);
  fs.renameSync(temporary, zoneFile);
};

const update = (zoneFile: string, change: (zone: Zone) => void): Zone => {
  const zone = readZone(zoneFile);
  change(zone);
  writeZone(zoneFile, zone);
  return zone;
};

/** Adds a TXT value at a name (kept beside the name's other values, as DNS allows several). */
export const addTxtRecord = (zoneFile: string, name: string, value: string): Zone =>
  update(zoneFile, (zone) => {
    const key = normalizeName(name);
    const values = zone.txt[key] ?? [];
    if (!values.includes(value)) zone.txt[key] = [...values, value];
  });

/** Removes every TXT value at a name, or only `value`. */
export const removeTxtRecord = (zoneFile: string, name: string, value?: string): Zone =>
  update(zoneFile, (zone) => {
    const key = normalizeName(name);
    const left = value === undefined ? [] : (zone.txt[key] ?? []).filter((v) => v !== value);
    if (left.length > 0) zone.txt[key] = left;
    else delete zone.txt[key];
  });

/** Makes a name answer SERVFAIL (`on`), or answer normally again: a resolver fault, for tests. */
export const setServfail = (zoneFile: string, name: string, on: boolean): Zone =>
  update(zoneFile, (zone) => {
    const key = normalizeName(name);
    const rest = (zone.servfail ?? []).filter((n) => n !== key);
    zone.servfail = on ? [...rest, key] : rest;
  });
