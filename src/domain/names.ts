/**
 * The form names are searched in: NFD-decomposed, tone and other marks removed, đ → d, lower case, single
 * spaces. "Hòa", "Hoà" (different tone placement) and "hoa" all become "hoa".
 */
export function searchForm(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim()
}
