/** How a GBDT parameter's value is read and checked. */
export type ParamKind = 'int' | 'float' | 'bool' | 'enum' | 'string' | 'int-list' | 'float-list' | 'string-list';

/** Where a parameter is listed in docs/gbdt-params.md. */
export type ParamGroup = 'core' | 'learning' | 'categorical' | 'sampling' | 'dataset' | 'objective' | 'metric';

/** Numeric bounds, as LightGBM's `config.h` writes them (`check = >0.0`). Every bound given must hold. */
export interface ParamCheck {
  readonly gt?: number;
  readonly ge?: number;
  readonly lt?: number;
  readonly le?: number;
}

/**
 * The single definition of one parameter: its LightGBM name, aliases, default, check and description. The
 * validator, the derived `GbdtParams` type and docs/gbdt-params.md all come from a table of these.
 */
export interface ParamSpec {
  /** The LightGBM name, which is also Loom's. */
  readonly name: string;
  /** Other names LightGBM accepts for it; they resolve to `name`. */
  readonly aliases: readonly string[];
  readonly kind: ParamKind;
  readonly default: number | boolean | string | null | readonly number[] | readonly string[];
  /** Whether `null` (LightGBM's "None") is a valid value. */
  readonly nullable?: boolean;
  readonly check?: ParamCheck;
  /** Allowed values of an `enum` or of each item of a `string-list`. */
  readonly options?: readonly string[];
  /** Alternative spellings of option values, e.g. objective `mse` → `regression`. */
  readonly valueAliases?: Readonly<Record<string, string>>;
  readonly group: ParamGroup;
  readonly description: string;
}

/** The resolved value type of one spec. */
export type ParamValue<S> = S extends { readonly kind: 'int' | 'float' }
  ? S extends { readonly nullable: true }
    ? number | null
    : number
  : S extends { readonly kind: 'bool' }
    ? boolean
    : S extends { readonly kind: 'enum'; readonly options: readonly (infer O)[] }
      ? O
      : S extends { readonly kind: 'string' }
        ? string
        : S extends { readonly kind: 'int-list' | 'float-list' }
          ? readonly number[]
          : S extends { readonly kind: 'string-list' }
            ? readonly string[]
            : never;

/** Renders a check as LightGBM's docs do, e.g. `> 0, <= 1`. Empty when there is none. */
export function describeCheck(check: ParamCheck | undefined): string {
  if (check === undefined) return '';
  const parts: string[] = [];
  if (check.gt !== undefined) parts.push(`> ${check.gt}`);
  if (check.ge !== undefined) parts.push(`>= ${check.ge}`);
  if (check.lt !== undefined) parts.push(`< ${check.lt}`);
  if (check.le !== undefined) parts.push(`<= ${check.le}`);
  return parts.join(', ');
}

/** True when `value` satisfies every bound of `check`. */
export function passesCheck(value: number, check: ParamCheck | undefined): boolean {
  if (check === undefined) return true;
  if (check.gt !== undefined && !(value > check.gt)) return false;
  if (check.ge !== undefined && !(value >= check.ge)) return false;
  if (check.lt !== undefined && !(value < check.lt)) return false;
  if (check.le !== undefined && !(value <= check.le)) return false;
  return true;
}
