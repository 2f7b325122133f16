/**
 * The shapes of the tables in `generated/schema.ts`: a content model per complex type, taken from Intuit's qbXML
 * 13.0 XSD with groups inlined. Short keys keep the generated file small; these types give them meaning.
 */
import type { Money } from '../domain/index.ts';

/** The XSD simple types qbXML uses, plus ENUMTYPE for any enumerated restriction. */
export type ScalarKind =
  | 'STRTYPE'
  | 'AMTTYPE'
  | 'PRICETYPE'
  | 'QUANTYPE'
  | 'PERCENTTYPE'
  | 'DATETYPE'
  | 'DATETIMETYPE'
  | 'TIMEINTERVALTYPE'
  | 'BOOLTYPE'
  | 'IDTYPE'
  | 'GUIDTYPE'
  | 'INTTYPE'
  | 'ENUMTYPE'
  | 'MACROTYPE'
  | 'FLOATTYPE'
  | 'UUIDTYPE';

export interface ScalarDef {
  /** Kind. */
  k: ScalarKind;
  /** XSD maxLength, when the schema gives one (QuickBooks enforces it at run time: status 3070). */
  len?: number;
  /** Enumerated values. */
  en?: readonly string[];
}

export interface ElementParticle {
  /** Element name. */
  n: string;
  min: number;
  /** `Infinity` for unbounded. */
  max: number;
  /** Complex content: the id of its type in COMPLEX_TYPES. */
  t?: string;
  /** Simple content. */
  s?: ScalarDef;
  /** Marked DEPRECATED in the schema (QuickBooks 13 answers with warning 560). */
  dep?: true;
}

export interface GroupParticle {
  /** 'seq' (xsd:sequence) or 'cho' (xsd:choice). */
  g: 'seq' | 'cho';
  min: number;
  max: number;
  p: readonly Particle[];
}

export type Particle = ElementParticle | GroupParticle;

export interface AttributeDef {
  name: string;
  required: boolean;
  kind: 'STRTYPE' | 'INTTYPE' | 'MACROTYPE' | 'ENUMTYPE';
  en?: readonly string[];
  default?: string;
}

export interface ComplexTypeDef {
  /** The content model (always a group; an empty sequence for attribute-only types). */
  c: GroupParticle;
  /** Attributes allowed on the element. */
  a?: readonly AttributeDef[];
}

export interface MessageDef {
  /** Request element type in COMPLEX_TYPES (e.g. `CustomerAddRqType`). */
  rq: string;
  /** Response element type in COMPLEX_TYPES (e.g. `CustomerAddRsType`). */
  rs: string;
}

/** What a scalar kind is written from (builder input). Never a JS float: amounts are Money or decimal strings. */
export interface In {
  STRTYPE: string;
  AMTTYPE: Money | string;
  PRICETYPE: Money | string;
  QUANTYPE: string | number;
  PERCENTTYPE: string;
  DATETYPE: string;
  DATETIMETYPE: string;
  TIMEINTERVALTYPE: string;
  BOOLTYPE: boolean;
  IDTYPE: string;
  GUIDTYPE: string;
  INTTYPE: number;
  MACROTYPE: string;
  FLOATTYPE: string;
  UUIDTYPE: string;
}

/** What a scalar kind is read as (parser output): decimals stay exact strings. */
export interface Out {
  STRTYPE: string;
  AMTTYPE: string;
  PRICETYPE: string;
  QUANTYPE: string;
  PERCENTTYPE: string;
  DATETYPE: string;
  DATETIMETYPE: string;
  TIMEINTERVALTYPE: string;
  BOOLTYPE: boolean;
  IDTYPE: string;
  GUIDTYPE: string;
  INTTYPE: number;
  MACROTYPE: string;
  FLOATTYPE: string;
  UUIDTYPE: string;
}

/**
 * What the generated types are written in: a type for each scalar kind. `In` (the builder's) and `Out` (the
 * parser's) are two; a caller may bring its own, as the plan does for bodies whose TxnIDs are filled in at send time.
 */
export type Scalars = { [K in keyof In]: unknown };
