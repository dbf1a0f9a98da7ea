// Package locale keeps Fyne quiet about the C locale. Under LANG=C.UTF-8
// (the default of most containers and CI images) Fyne's translations,
// set up while its packages initialize, take "C" for a language tag and
// log "Error parsing user locale C", three times, even for commands that
// open no window. When the locale is C or POSIX and LANGUAGE is unset,
// this package sets LANGUAGE=en, the language those locales mean, before
// that happens: gettext ignores LANGUAGE under the C locale, so programs
// started from flamelens behave as before.
//
// It must be imported by package main, and import nothing but the
// standard library's os: Go initializes packages in import-path order
// among those whose imports are ready, so this one, whose path sorts
// before Fyne's locale library, is initialized before it.
package locale

import "os"

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if isC(v) {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}

// isC reports whether a locale name is the C or POSIX locale, with or
// without an encoding ("C.UTF-8", "POSIX.utf8").
func isC(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] == '.' || v[i] == '@' {
			v = v[:i]
			break
		}
	}
	return v == "C" || v == "POSIX"
}
