/**
 * Generates src/qbxml/generated/ from Intuit's qbXML 13.0 XSD (../shared/qbxml/schema/qbxmlops130.xsd and the files
 * it includes). Only the messages in MESSAGES are generated, with every type reachable from their …Rq and …Rs
 * elements; to support another message, add its name to the list and run `npm run generate:qbxml`.
 *
 * Output: generated/schema.ts (runtime tables: content models with groups inlined, occurrence, max lengths, scalar
 * kinds, enumerations, attributes) and generated/types.ts (TypeScript interfaces in Intuit's element names).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  AttributeDef,
  ComplexTypeDef,
  ElementParticle,
  GroupParticle,
  Particle,
  ScalarDef,
  ScalarKind,
} from '../src/qbxml/schema-types.ts';
import { readXml, type XmlElement } from '../src/xml/index.ts';

/** The messages the connector speaks. Rule: a name here = `<Name>Rq` and `<Name>Rs` are generated. */
export const MESSAGES: readonly string[] = [
  'HostQuery',
  'CompanyQuery',
  'PreferencesQuery',
  'AccountAdd',
  'AccountMod',
  'AccountQuery',
  // qbXML 13.0 has no PaymentMethodMod: payment methods are added and queried only.
  'PaymentMethodAdd',
  'PaymentMethodQuery',
  'ClassAdd',
  'ClassMod',
  'ClassQuery',
  'CustomerAdd',
  'CustomerMod',
  'CustomerQuery',
  'VendorAdd',
  'VendorMod',
  'VendorQuery',
  'ItemInventoryAdd',
  'ItemInventoryQuery',
  'ItemInventoryMod',
  'ItemNonInventoryAdd',
  'ItemNonInventoryQuery',
  'ItemNonInventoryMod',
  'ItemServiceAdd',
  'ItemServiceQuery',
  'ItemServiceMod',
  'ItemOtherChargeAdd',
  'ItemOtherChargeQuery',
  'ItemOtherChargeMod',
  'ItemDiscountAdd',
  'ItemDiscountQuery',
  'ItemDiscountMod',
  'ItemSalesTaxAdd',
  'ItemSalesTaxQuery',
  'ItemSalesTaxMod',
  'ItemPaymentAdd',
  'ItemPaymentQuery',
  'ItemPaymentMod',
  'ItemQuery',
  'SalesReceiptAdd',
  'SalesReceiptQuery',
  'SalesReceiptMod',
  'InvoiceAdd',
  'InvoiceQuery',
  'InvoiceMod',
  'ReceivePaymentAdd',
  'ReceivePaymentQuery',
  'SalesOrderAdd',
  'SalesOrderQuery',
  'SalesOrderMod',
  'CreditMemoAdd',
  'CreditMemoQuery',
  'CreditMemoMod',
  'JournalEntryAdd',
  'JournalEntryQuery',
  'JournalEntryMod',
  'DepositAdd',
  'DepositQuery',
  'PurchaseOrderAdd',
  'PurchaseOrderQuery',
  'PurchaseOrderMod',
  'ItemReceiptAdd',
  'ItemReceiptQuery',
  'BillAdd',
  'BillQuery',
  'InventoryAdjustmentAdd',
  'InventoryAdjustmentQuery',
  'TransactionQuery',
  'GeneralSummaryReportQuery',
  'GeneralDetailReportQuery',
  'TxnDel',
  'DataExtDefAdd',
  'DataExtDefQuery',
  'DataExtAdd',
  'DataExtMod',
];

const SCALAR_KINDS = new Set<string>([
  'STRTYPE',
  'AMTTYPE',
  'PRICETYPE',
  'QUANTYPE',
  'PERCENTTYPE',
  'DATETYPE',
  'DATETIMETYPE',
  'TIMEINTERVALTYPE',
  'BOOLTYPE',
  'IDTYPE',
  'GUIDTYPE',
  'INTTYPE',
  'ENUMTYPE',
  'MACROTYPE',
  'FLOATTYPE',
  'UUIDTYPE',
]);

interface SchemaIndex {
  elements: Map<string, XmlElement>;
  groups: Map<string, XmlElement>;
  complexTypes: Map<string, XmlElement>;
  msgsRq: XmlElement;
  msgsRs: XmlElement;
}

function local(name: string): string {
  return name.startsWith('xsd:') ? name.slice(4) : name;
}

function loadSchema(entry: string): SchemaIndex {
  const elements = new Map<string, XmlElement>();
  const groups = new Map<string, XmlElement>();
  const complexTypes = new Map<string, XmlElement>();
  const seen = new Set<string>();
  const load = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const doc = readXml(readFileSync(path, 'utf8'));
    for (const child of doc.root.children) {
      const kind = local(child.name);
      const name = child.attributes.name;
      if (kind === 'include') load(join(dirname(path), child.attributes.schemaLocation!));
      else if (kind === 'element' && name) elements.set(name, child);
      else if (kind === 'group' && name) groups.set(name, child);
      else if (kind === 'complexType' && name) complexTypes.set(name, child);
    }
  };
  load(entry);
  const msgsRq = elements.get('QBXMLMsgsRq');
  const msgsRs = elements.get('QBXMLMsgsRs');
  if (!msgsRq || !msgsRs) throw new Error('QBXMLMsgsRq/QBXMLMsgsRs not found in the schema');
  return { elements, groups, complexTypes, msgsRq, msgsRs };
}

function childrenNamed(node: XmlElement, kind: string): XmlElement[] {
  return node.children.filter((c) => local(c.name) === kind);
}

function firstChild(node: XmlElement, kind: string): XmlElement | undefined {
  return node.children.find((c) => local(c.name) === kind);
}

function occurs(node: XmlElement): { min: number; max: number } {
  const min = node.attributes.minOccurs === undefined ? 1 : Number(node.attributes.minOccurs);
  const rawMax = node.attributes.maxOccurs;
  const max = rawMax === undefined ? 1 : rawMax === 'unbounded' ? Number.POSITIVE_INFINITY : Number(rawMax);
  return { min, max };
}

function isDeprecated(node: XmlElement): boolean {
  const annotation = firstChild(node, 'annotation');
  return !!annotation && childrenNamed(annotation, 'appinfo').some((a) => a.text.trim() === 'DEPRECATED');
}

class Generator {
  readonly schema: SchemaIndex;
  readonly types = new Map<string, ComplexTypeDef>();
  /** Type id → the XSD node it came from, queued until converted. */
  private readonly pending: [string, XmlElement][] = [];

  constructor(schema: SchemaIndex) {
    this.schema = schema;
  }

  scalarFromTypeName(typeName: string): ScalarDef {
    if (!SCALAR_KINDS.has(typeName)) throw new Error(`Unknown simple type ${typeName}`);
    const kind = typeName as ScalarKind;
    // IDTYPE carries its maxLength of 36 in qbxmltypes130.xsd.
    return kind === 'IDTYPE' ? { k: kind, len: 36 } : { k: kind };
  }

  scalarFromSimpleType(simpleType: XmlElement): ScalarDef {
    const restriction = firstChild(simpleType, 'restriction');
    if (!restriction) throw new Error('simpleType without restriction');
    const base = this.scalarFromTypeName(restriction.attributes.base!);
    const enums = childrenNamed(restriction, 'enumeration').map((e) => e.attributes.value!);
    const maxLength = firstChild(restriction, 'maxLength');
    const scalar: ScalarDef = enums.length > 0 ? { k: 'ENUMTYPE', en: enums } : { ...base };
    if (maxLength) scalar.len = Number(maxLength.attributes.value);
    return scalar;
  }

  attributes(complexType: XmlElement): AttributeDef[] {
    const out: AttributeDef[] = [];
    const holders = [complexType];
    const simpleContent = firstChild(complexType, 'simpleContent');
    const extension = simpleContent && firstChild(simpleContent, 'extension');
    if (extension) holders.push(extension);
    for (const holder of holders) {
      for (const attr of childrenNamed(holder, 'attribute')) {
        const def: AttributeDef = {
          name: attr.attributes.name!,
          required: attr.attributes.use === 'required',
          kind: 'STRTYPE',
        };
        const inline = firstChild(attr, 'simpleType');
        if (inline) {
          const scalar = this.scalarFromSimpleType(inline);
          def.kind = scalar.k === 'ENUMTYPE' ? 'ENUMTYPE' : 'STRTYPE';
          if (scalar.en) def.en = scalar.en;
        } else {
          const type = attr.attributes.type ?? 'STRTYPE';
          def.kind = type === 'INTTYPE' ? 'INTTYPE' : type === 'MACROTYPE' ? 'MACROTYPE' : 'STRTYPE';
        }
        if (attr.attributes.default !== undefined) def.default = attr.attributes.default;
        out.push(def);
      }
    }
    return out;
  }

  /** Registers a complex type for conversion and returns its id. */
  complex(id: string, node: XmlElement): string {
    if (!this.types.has(id) && !this.pending.some(([p]) => p === id)) this.pending.push([id, node]);
    return id;
  }

  drain(): void {
    while (this.pending.length > 0) {
      const [id, node] = this.pending.shift()!;
      if (this.types.has(id)) continue;
      const content = node.children.find((c) => ['sequence', 'choice', 'group', 'all'].includes(local(c.name)));
      const particle: GroupParticle = content
        ? this.groupOf(this.particle(content, id))
        : { g: 'seq', min: 1, max: 1, p: [] };
      const def: ComplexTypeDef = { c: particle };
      const attrs = this.attributes(node);
      if (attrs.length > 0) def.a = attrs;
      this.types.set(id, def);
    }
  }

  groupOf(particle: Particle): GroupParticle {
    return 'g' in particle ? particle : { g: 'seq', min: 1, max: 1, p: [particle] };
  }

  particle(node: XmlElement, ownerId: string): Particle {
    const kind = local(node.name);
    const { min, max } = occurs(node);
    if (kind === 'sequence' || kind === 'choice') {
      const parts: Particle[] = [];
      for (const child of node.children) {
        const k = local(child.name);
        if (k === 'annotation') continue;
        parts.push(this.particle(child, ownerId));
      }
      return { g: kind === 'sequence' ? 'seq' : 'cho', min, max, p: parts };
    }
    if (kind === 'group') {
      const ref = node.attributes.ref!;
      const group = this.schema.groups.get(ref);
      if (!group) throw new Error(`Group ${ref} not found`);
      const body = group.children.find((c) => ['sequence', 'choice'].includes(local(c.name)));
      if (!body) throw new Error(`Group ${ref} has no content`);
      const inner = this.groupOf(this.particle(body, ownerId));
      if (min === 1 && max === 1) return inner;
      return { g: 'seq', min, max, p: [inner] };
    }
    if (kind === 'element') return this.element(node, ownerId, min, max);
    throw new Error(`Unsupported XSD construct ${node.name} in ${ownerId}`);
  }

  element(node: XmlElement, ownerId: string, min: number, max: number): ElementParticle {
    const deprecated = isDeprecated(node);
    const ref = node.attributes.ref;
    const decl = ref ? this.schema.elements.get(ref) : node;
    if (!decl) throw new Error(`Element ${ref} not found`);
    const name = decl.attributes.name!;
    const out: ElementParticle = { n: name, min, max };
    if (deprecated || isDeprecated(decl)) out.dep = true;
    const typeName = decl.attributes.type;
    if (typeName) {
      if (SCALAR_KINDS.has(typeName)) out.s = this.scalarFromTypeName(typeName);
      else {
        const complexType = this.schema.complexTypes.get(typeName);
        if (!complexType) throw new Error(`Type ${typeName} not found`);
        out.t = this.complex(typeName, complexType);
      }
      return out;
    }
    const simpleType = firstChild(decl, 'simpleType');
    if (simpleType) {
      out.s = this.scalarFromSimpleType(simpleType);
      return out;
    }
    const complexType = firstChild(decl, 'complexType');
    if (!complexType) {
      out.s = { k: 'STRTYPE' };
      return out;
    }
    const simpleContent = firstChild(complexType, 'simpleContent');
    if (simpleContent) {
      const extension = firstChild(simpleContent, 'extension');
      if (!extension) throw new Error(`simpleContent without extension in ${name}`);
      out.s = this.scalarFromTypeName(extension.attributes.base!);
      return out;
    }
    out.t = this.complex(ref ? name : `${ownerId}.${name}`, complexType);
    return out;
  }
}

function messageElementType(container: XmlElement, name: string): string {
  const choice = firstChild(container.children.find((c) => local(c.name) === 'complexType')!, 'choice')!;
  const entry = choice.children.find((c) => c.attributes.name === name);
  if (!entry) throw new Error(`${name} is not a message of ${container.attributes.name} in the schema`);
  return entry.attributes.type!;
}

// ---------------------------------------------------------------------------------------------------------------
// Emitting

function literal(value: unknown): string {
  if (value === Number.POSITIVE_INFINITY) return 'U';
  if (Array.isArray(value)) return `[${value.map(literal).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}:${literal(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function tsName(typeId: string): string {
  return typeId.replace(/\./g, '_');
}

interface Field {
  name: string;
  optional: boolean;
  array: boolean;
  particle: ElementParticle;
}

/** Flattens a content model into interface fields: inside a choice or an optional group, everything is optional. */
function fields(group: GroupParticle): Field[] {
  const out = new Map<string, Field>();
  const walk = (p: Particle, optional: boolean, repeated: boolean): void => {
    if ('g' in p) {
      const opt = optional || p.min === 0 || (p.g === 'cho' && p.p.length > 1);
      const rep = repeated || p.max > 1;
      for (const child of p.p) walk(child, opt, rep);
      return;
    }
    const field: Field = {
      name: p.n,
      optional: optional || p.min === 0,
      array: repeated || p.max > 1,
      particle: p,
    };
    const existing = out.get(p.n);
    if (existing) {
      existing.array = true;
      existing.optional = existing.optional || field.optional;
    } else out.set(p.n, field);
  };
  walk(group, group.min === 0, group.max > 1);
  return [...out.values()];
}

function fieldType(p: ElementParticle): string {
  if (p.t) return `${tsName(p.t)}<S>`;
  const s = p.s!;
  if (s.k === 'ENUMTYPE' && s.en) return s.en.map((v) => JSON.stringify(v)).join(' | ');
  if (s.k === 'ENUMTYPE') return 'string';
  return `S['${s.k}']`;
}

export interface GeneratedFiles {
  schema: string;
  types: string;
}

const HEADER =
  "// Generated by scripts/generate-qbxml.ts from Intuit's qbXML 13.0 XSD (../shared/qbxml/schema/). Do not edit:\n// add a message name to the list in the generator and run `npm run generate:qbxml`.\n";

export function generate(schemaDir: string, messages: readonly string[] = MESSAGES): GeneratedFiles {
  const entry = join(schemaDir, 'qbxmlops130.xsd');
  if (!existsSync(entry)) {
    throw new Error(
      `Intuit's qbXML schema is missing: ${entry} does not exist. It lives in ../shared/qbxml/schema (not redistributed with this repository).`,
    );
  }
  const schema = loadSchema(entry);
  const gen = new Generator(schema);
  const messageDefs: Record<string, { rq: string; rs: string }> = {};
  for (const message of messages) {
    const rqType = messageElementType(schema.msgsRq, `${message}Rq`);
    const rsType = messageElementType(schema.msgsRs, `${message}Rs`);
    const rqNode = schema.complexTypes.get(rqType);
    const rsNode = schema.complexTypes.get(rsType);
    if (!rqNode || !rsNode) throw new Error(`Types of ${message} not found`);
    messageDefs[message] = { rq: gen.complex(rqType, rqNode), rs: gen.complex(rsType, rsNode) };
  }
  gen.drain();
  const envelopeRq = gen.attributes(schema.msgsRq.children.find((c) => local(c.name) === 'complexType')!);
  const envelopeRs = gen.attributes(schema.msgsRs.children.find((c) => local(c.name) === 'complexType')!);

  const ids = [...gen.types.keys()].sort();
  const schemaLines = [
    HEADER,
    "import type { AttributeDef, ComplexTypeDef, MessageDef } from '../schema-types.ts';",
    '',
    'const U = Number.POSITIVE_INFINITY;',
    '',
    '/** Every message the connector speaks: request and response element types. */',
    `export const MESSAGES = ${literal(messageDefs)} as const satisfies Record<string, MessageDef>;`,
    '',
    'export type MessageName = keyof typeof MESSAGES;',
    '',
    '/** Attributes of QBXMLMsgsRq (onError, newMessageSetID, oldMessageSetID, responseData). */',
    `export const ENVELOPE_RQ_ATTRIBUTES: readonly AttributeDef[] = ${literal(envelopeRq)};`,
    '',
    '/** Attributes of QBXMLMsgsRs (newMessageSetID, messageSetStatusCode). */',
    `export const ENVELOPE_RS_ATTRIBUTES: readonly AttributeDef[] = ${literal(envelopeRs)};`,
    '',
    '/** Content models with groups inlined, keyed by type id (global element name, XSD type name, or Owner.Local). */',
    'export const COMPLEX_TYPES: Record<string, ComplexTypeDef> = {',
    ...ids.map((id) => `${JSON.stringify(id)}:${literal(gen.types.get(id))},`),
    '};',
    '',
  ];

  const typeLines = [
    HEADER,
    "import type { In, Out, Scalars } from '../schema-types.ts';",
    '',
    'export type { In, Out, Scalars };',
    '',
  ];
  for (const id of ids) {
    const def = gen.types.get(id)!;
    const list = fields(def.c);
    typeLines.push(`export interface ${tsName(id)}<S extends Scalars = In> {`);
    for (const f of list) {
      const base = fieldType(f.particle);
      const type = f.array ? (base.includes('|') ? `(${base})[]` : `${base}[]`) : base;
      typeLines.push(`  ${f.name}${f.optional ? '?' : ''}: ${type};`);
    }
    if (list.length === 0) typeLines.push('  /** no elements */', '  readonly __scalars?: S;');
    typeLines.push('}', '');
  }
  typeLines.push('/** The request type of each message (`CustomerAdd` → `CustomerAddRqType`). */');
  typeLines.push('export interface RequestTypes<S extends Scalars = In> {');
  for (const [message, def] of Object.entries(messageDefs)) typeLines.push(`  ${message}: ${tsName(def.rq)}<S>;`);
  typeLines.push('}', '');
  typeLines.push('/** The response type of each message, as the parser returns it. */');
  typeLines.push('export interface ResponseTypes<S extends Scalars = Out> {');
  for (const [message, def] of Object.entries(messageDefs)) typeLines.push(`  ${message}: ${tsName(def.rs)}<S>;`);
  typeLines.push('}', '');
  return { schema: schemaLines.join('\n'), types: typeLines.join('\n') };
}

if (import.meta.main) {
  const root = join(import.meta.dirname, '..');
  const schemaDir = join(root, '..', 'shared', 'qbxml', 'schema');
  try {
    const files = generate(schemaDir);
    const outDir = join(root, 'src', 'qbxml', 'generated');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'schema.ts'), files.schema);
    writeFileSync(join(outDir, 'types.ts'), files.types);
    console.log(
      `Wrote src/qbxml/generated/schema.ts (${files.schema.length} chars) and types.ts (${files.types.length} chars) for ${MESSAGES.length} messages.`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
