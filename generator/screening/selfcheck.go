package screening

// SelfCheck is what the browser's selfCheck function computes: it decodes
// an application and a program's rules (as published in rules.json),
// screens the one against the other and returns EncodeJSON(Screen(rules,
// app)).
//
// When an input cannot be decoded, or the application is for another
// program than the rules, it returns instead
//
//	{"error":"MESSAGE","source":"application"|"rules","line":L,"col":C}
//
// where line and col (1-based, columns in bytes) locate the problem in
// that input and are left out when there is no position.
func SelfCheck(applicationJSON, rulesJSON []byte) []byte {
	rules, err := ParseRules(rulesJSON)
	if err != nil {
		return encodeError("rules", err)
	}
	app, err := Decode(applicationJSON)
	if err != nil {
		return encodeError("application", err)
	}
	if app.Program != rules.Program {
		return encodeError("application", &mismatchError{app.Program, rules.Program})
	}
	if err := rules.CheckChoices(&app); err != nil {
		return encodeError("application", err)
	}
	return EncodeJSON(Screen(rules, app))
}

type mismatchError struct{ app, rules string }

func (e *mismatchError) Error() string {
	return "the application is for " + e.app + " but the rules are for " + e.rules
}
