package sandbox

import "strings"

// Encrypted customer ids. Omeda hands out an opaque alphanumeric id per customer (15 characters in
// its newer examples) that its lookups accept in place of the numeric id. The sandbox derives one
// from the numeric id with a small keyed permutation, so that it needs no table and every customer,
// generated or stored, has one: a checksum pair, then 13 base-36 digits of the permuted id.

const (
	encAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	encDigits   = 13 // 36^13 > 2^64
	encLen      = 2 + encDigits
)

// encRoundKeys key the Feistel rounds; fixed, so that encrypted ids do not depend on the seed.
var encRoundKeys = [4]uint64{0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93}

// documentedEncryptedIDs are the encrypted ids of the vendor's pages, bound to a seeded customer.
var documentedEncryptedIDs = map[string]int64{"9130C2719701F5S": 12345}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

func permute(v uint64) uint64 {
	l, r := uint32(v>>32), uint32(v)
	for _, k := range encRoundKeys {
		l, r = r, l^uint32(mix64(uint64(r)^k))
	}
	return uint64(l)<<32 | uint64(r)
}

func unpermute(v uint64) uint64 {
	l, r := uint32(v>>32), uint32(v)
	for i := len(encRoundKeys) - 1; i >= 0; i-- {
		l, r = r^uint32(mix64(uint64(l)^encRoundKeys[i])), l
	}
	return uint64(l)<<32 | uint64(r)
}

func encShift(c0, c1, i int) int { return (c0*7 + c1 + i*13) % 36 }

// encryptID returns the encrypted id of a customer id.
func encryptID(id int64) string {
	for enc, known := range documentedEncryptedIDs {
		if known == id {
			return enc
		}
	}
	v := permute(uint64(id))
	check := mix64(v^0x5A4DB0C) % (36 * 36)
	c0, c1 := int(check/36), int(check%36)
	var out [encLen]byte
	out[0], out[1] = encAlphabet[c0], encAlphabet[c1]
	for i := encLen - 1; i >= 2; i-- {
		d := int(v % 36)
		v /= 36
		// Shift each digit by the checksum and its position so that the ids do not all start
		// with the same characters.
		out[i] = encAlphabet[(d+encShift(c0, c1, i))%36]
	}
	return string(out[:])
}

// decryptID returns the customer id an encrypted id stands for, or false when s cannot be one.
func decryptID(s string) (int64, bool) {
	if id, ok := documentedEncryptedIDs[s]; ok {
		return id, true
	}
	if len(s) != encLen {
		return 0, false
	}
	c0, c1 := strings.IndexByte(encAlphabet, s[0]), strings.IndexByte(encAlphabet, s[1])
	if c0 < 0 || c1 < 0 {
		return 0, false
	}
	var v uint64
	for i := 2; i < encLen; i++ {
		x := strings.IndexByte(encAlphabet, s[i])
		if x < 0 {
			return 0, false
		}
		d := (x + 36 - encShift(c0, c1, i)) % 36
		hi := v * 36
		if hi/36 != v || hi+uint64(d) < hi {
			return 0, false // more than 64 bits
		}
		v = hi + uint64(d)
	}
	if mix64(v^0x5A4DB0C)%(36*36) != uint64(c0*36+c1) {
		return 0, false
	}
	id := int64(unpermute(v))
	if id <= 0 {
		return 0, false
	}
	return id, true
}
