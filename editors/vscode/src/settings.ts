// Maps the VS Code `digest-ls` configuration to the flat settings object the
// server reads (initializationOptions and workspace/configuration). No `vscode`
// import, so it can be unit-tested under plain Node.

export const SECTION = 'digest-ls';

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'off';
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['error', 'warning', 'info', 'hint', 'off']);

export interface ServerSettings {
  select: string[];
  ignore: string[];
  severity: Record<string, Severity>;
  extraPlaceholders: string[];
  requiredFields: string[];
  allowedCategories: string[];
  exclude: string[];
  perPaperIgnores: Record<string, string[]>;
  debounceMs: number;
  hoverAbstractLength: number;
  completionLimit: number;
  outline: boolean;
  indexInclude: string[];
  indexExclude: string[];
  metadataFiles: string[];
}

/** Must match the defaults declared in package.json (a unit test checks this). */
export const DEFAULT_SERVER_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  select: [],
  ignore: [],
  severity: {},
  extraPlaceholders: [],
  requiredFields: ['Motivation', 'Method', 'Result', 'Conclusion', 'Abstract'],
  allowedCategories: [],
  exclude: [],
  perPaperIgnores: {},
  debounceMs: 200,
  hoverAbstractLength: 600,
  completionLimit: 50,
  outline: true,
  indexInclude: ['**/*.md', '**/*.jsonl'],
  indexExclude: [],
  metadataFiles: [],
});

/** The part of vscode.WorkspaceConfiguration (scoped to `digest-ls`) that is used here. */
export interface ConfigurationReader {
  get<T>(key: string): T | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Settings files are hand-edited JSON, so every value is checked: a bad entry is
// dropped (or the default used) instead of being passed on to the server.
function stringList(value: unknown, fallback: readonly string[]): string[] {
  if (!Array.isArray(value)) {
    return [...fallback];
  }
  return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

function severityMap(value: unknown): Record<string, Severity> {
  const result: Record<string, Severity> = {};
  if (isPlainObject(value)) {
    for (const [code, severity] of Object.entries(value)) {
      if (typeof severity === 'string' && SEVERITIES.has(severity)) {
        result[code] = severity as Severity;
      }
    }
  }
  return result;
}

function codesByPaper(value: unknown): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  if (isPlainObject(value)) {
    for (const [paperId, codes] of Object.entries(value)) {
      if (Array.isArray(codes)) {
        result[paperId] = stringList(codes, []);
      }
    }
  }
  return result;
}

function nonNegativeInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function boolean(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function toServerSettings(config: ConfigurationReader): ServerSettings {
  const d = DEFAULT_SERVER_SETTINGS;
  return {
    select: stringList(config.get('select'), d.select),
    ignore: stringList(config.get('ignore'), d.ignore),
    severity: severityMap(config.get('severity')),
    extraPlaceholders: stringList(config.get('extraPlaceholders'), d.extraPlaceholders),
    requiredFields: stringList(config.get('requiredFields'), d.requiredFields),
    allowedCategories: stringList(config.get('allowedCategories'), d.allowedCategories),
    exclude: stringList(config.get('exclude'), d.exclude),
    perPaperIgnores: codesByPaper(config.get('perPaperIgnores')),
    debounceMs: nonNegativeInteger(config.get('debounceMs'), d.debounceMs),
    hoverAbstractLength: nonNegativeInteger(config.get('hoverAbstractLength'), d.hoverAbstractLength),
    completionLimit: nonNegativeInteger(config.get('completionLimit'), d.completionLimit),
    outline: boolean(config.get('outline'), d.outline),
    indexInclude: stringList(config.get('indexInclude'), d.indexInclude),
    indexExclude: stringList(config.get('indexExclude'), d.indexExclude),
    metadataFiles: stringList(config.get('metadataFiles'), d.metadataFiles),
  };
}
