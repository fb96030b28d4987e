/**
 * The address a client's limits are kept under: an IPv4 address as is (IPv4-mapped IPv6 unwrapped), an IPv6
 * address by its /64 prefix (one host usually holds a whole /64, so single IPv6 addresses would be free to mint).
 * Text that is not an address is kept as given, trimmed and cut to 64 characters.
 */
export function addressKey(address: string): string {
  const text = address.trim();
  if (!text.includes(':')) return text.slice(0, 64);
  const groups = expandIPv6(text);
  if (!groups) return text.slice(0, 64);
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return '::1';
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6] ?? 0, groups[7] ?? 0];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** True for 127.0.0.0/8 and ::1 (as keys from {@link addressKey}). */
export function isLoopback(key: string): boolean {
  return key === '::1' || /^127\.\d+\.\d+\.\d+$/.test(key);
}

/**
 * The client's address when `hops` proxies stand in front of the server: the entry that many hops from the right
 * of `X-Forwarded-For` (the one the outermost trusted proxy saw), else the socket's address.
 */
export function forwardedAddress(socketAddress: string, forwardedFor: string | null | undefined, hops: number): string {
  if (hops <= 0 || !forwardedFor) return socketAddress;
  const chain = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - hops] ?? chain[0] ?? socketAddress;
}

/** The 8 groups of an IPv6 address (with `::` and an embedded IPv4 tail), or null when it is not one. */
function expandIPv6(text: string): number[] | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const parts = bare.split('::');
  if (parts.length > 2) return null;
  const side = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (/^\d+\.\d+\.\d+\.\d+$/.test(g)) {
        const b = g.split('.').map(Number);
        if (b.some((x) => x > 255)) return null;
        out.push(((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0));
      } else if (/^[0-9a-f]{1,4}$/i.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = side(parts[0] ?? ''), tail = parts.length === 2 ? side(parts[1] ?? '') : [];
  if (!head || !tail) return null;
  if (parts.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - tail.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}
