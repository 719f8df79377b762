import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('functions/string');
const family = 'strings';

export const STRING_CASES: ConformanceCase[] = [
  { query: "SELECT luhn_check('79927398713')", rows: [['true']], types: ['boolean'] },
  { query: "SELECT luhn_check('79927398714')", rows: [['false']], types: ['boolean'] },
  { query: "SELECT overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4)", rows: [['Thomas']], types: ['string'] },
  { query: "SELECT overlay('abc' PLACING 'XYZ' FROM 3)", rows: [['abXYZ']], types: ['string'] },
  { query: "SELECT translate('abcd', '', '')", rows: [['abcd']], types: ['string'] },
  { query: "SELECT translate('abcd', 'a', 'z')", rows: [['zbcd']], types: ['string'] },
  { query: "SELECT translate('abcda', 'a', 'z')", rows: [['zbcdz']], types: ['string'] },
  { query: "SELECT translate('Palhoça', 'ç','c')", rows: [['Palhoca']], types: ['string'] },
  { query: "SELECT translate('abcd', 'a', '')", rows: [['bcd']], types: ['string'] },
  { query: "SELECT translate('abcd', 'a', 'zy')", rows: [['zbcd']], types: ['string'] },
  { query: "SELECT translate('abcd', 'ac', 'z')", rows: [['zbd']], types: ['string'] },
  { query: "SELECT translate('abcd', 'aac', 'zq')", rows: [['zbd']], types: ['string'] },
  { query: "SELECT trim('!' FROM '!foo!')", rows: [['foo']], types: ['string'] },
  { query: "SELECT trim(LEADING FROM '  abcd')", rows: [['abcd']], types: ['string'] },
  { query: "SELECT trim(BOTH '$' FROM '$var$')", rows: [['var']], types: ['string'] },
  { query: "SELECT trim(TRAILING 'ER' FROM upper('worker'))", rows: [['WORK']], types: ['string'] },
  // "If the index is larger than the number of fields, then null is returned."
  { query: "SELECT split_part('a,b,c', ',', 4)", rows: [[null]], types: ['string'] },
  { query: "SELECT split_part('a,b,c', ',', 2)", rows: [['b']], types: ['string'] },
  // "Positions start with 1. If not found, 0 is returned."
  { query: "SELECT strpos('hello', 'z')", rows: [['0']], types: ['bigint'] },
  { query: "SELECT position('l' IN 'hello')", rows: [['3']], types: ['bigint'] },
  // "Returns the length of string in characters."
  { query: "SELECT length('Palhoça')", rows: [['7']], types: ['bigint'] },
  // "A negative starting position is interpreted as being relative to the end of the string."
  { query: "SELECT substring('hello', -3)", rows: [['llo']], types: ['string'] },
  { query: "SELECT substr('hello', 2, 3)", rows: [['ell']], types: ['string'] },
].map((c) => ({ ...c, family, source }));
