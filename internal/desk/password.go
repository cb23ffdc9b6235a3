package desk

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules. The upper bound keeps hashing cheap to refuse, not weak:
// argon2 reads the whole input.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 1024
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, one
// lane). They are stored with each hash, so raising them later keeps old
// hashes verifiable.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns the argon2id hash of password in the PHC string
// format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
//
// desk otherwise imports only the standard library; golang.org/x/crypto is
// the Go team's own extension of it and holds no I/O.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-format hash. A
// malformed hash never matches.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil ||
		mem == 0 || mem > 1<<21 || iter == 0 || iter > 16 || threads == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// checkPassword validates a new password.
func (v *validation) password(field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw) || strings.ContainsRune(pw, 0):
		v.add(field, RuleInvalidText, nil, "must be valid UTF-8 without NUL characters")
	case n < MinPasswordLen:
		v.add(field, RuleTooShort, Params{"min": MinPasswordLen}, "must be at least %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		v.add(field, RuleTooLong, Params{"max": MaxPasswordLen, "unit": "bytes"}, "must be at most %d bytes", MaxPasswordLen)
	}
}

// CheckPassword validates a new password without storing it, so that tools
// can refuse a bad one before creating anything.
func CheckPassword(pw string) error {
	var v validation
	v.password("password", pw)
	return v.err()
}
