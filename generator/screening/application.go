package screening

// Application is what an applicant tells a program, as the self-check form
// and the `screen` command read it from JSON. Empty strings and absent
// fields mean "not given". Which values the enumerated fields accept is the
// program's to say (its rules' field choices); see [Rules.CheckChoices].
type Application struct {
	Program                string    `json:"program"`     // the program's folder name, as in its rules
	AccessPath             string    `json:"access_path"` // how the applicant reaches the program
	Username               string    `json:"username"`
	Email                  string    `json:"email"`
	PaypalEmail            string    `json:"paypal_email"`
	Channels               []Channel `json:"channels"`
	Niche                  string    `json:"niche"`
	TrafficSources         []string  `json:"traffic_sources"`
	Geos                   []string  `json:"geos"` // country codes or regions, free text
	ContentTypes           []string  `json:"content_types"`
	Promotion              string    `json:"promotion"` // how the applicant will promote, in words
	Practices              []string  `json:"practices"`
	NetworkProfileComplete bool      `json:"network_profile_complete"`
	AcceptsTerms           bool      `json:"accepts_terms"`
	Submitted              string    `json:"submitted"` // YYYY-MM-DD, optional

	choices []choiceAt // where each enumerated value was read, for CheckChoices
}

// Channel is one place where the applicant promotes.
type Channel struct {
	URL               string `json:"url"`
	Kind              string `json:"kind"`
	Public            bool   `json:"public"` // visible without logging in or being invited
	Status            string `json:"status"`
	LastPost          string `json:"last_post"`
	OriginalPosts     int    `json:"original_posts"`
	CopiedOrGenerated bool   `json:"copied_or_generated"`
}

// choiceAt is an enumerated value of an application and where it was read.
type choiceAt struct {
	field, path, value string // field is the schema name, path the JSON path
	off, line, col     int
}

// Schema is the application schema rules are written over: each field's
// name and kind, in the order of the JSON. The kinds:
//
//   - text, email, url, longtext: a string (email and url only change the
//     form's input); longtext is the promotion plan, whose words count;
//   - list: a list of free strings (the form takes them comma-separated);
//   - choice: one of the program's choices; choices: a list of them;
//   - bool: true or false; date: YYYY-MM-DD; count: a whole number >= 0;
//   - channels: the list of channels, whose fields are "channels.NAME".
//
// A channel field named at the top level of a condition ("channels.url")
// stands for the list of that field's values over every channel.
var Schema = []struct{ Name, Kind string }{
	{"access_path", "choice"},
	{"username", "text"},
	{"email", "email"},
	{"paypal_email", "email"},
	{"channels", "channels"},
	{"channels.url", "url"},
	{"channels.kind", "choice"},
	{"channels.public", "bool"},
	{"channels.status", "choice"},
	{"channels.last_post", "date"},
	{"channels.original_posts", "count"},
	{"channels.copied_or_generated", "bool"},
	{"niche", "text"},
	{"traffic_sources", "choices"},
	{"geos", "list"},
	{"content_types", "choices"},
	{"promotion", "longtext"},
	{"practices", "choices"},
	{"network_profile_complete", "bool"},
	{"accepts_terms", "bool"},
	{"submitted", "date"},
}

func schemaKind(name string) string {
	for _, f := range Schema {
		if f.Name == name {
			return f.Kind
		}
	}
	return ""
}

func schemaNames() []string {
	var names []string
	for _, f := range Schema {
		names = append(names, f.Name)
	}
	return names
}

// value is one field's value: a string (text, choice, date), a list, a
// bool or a count, as its kind says.
type value struct {
	s    string
	list []string
	b    bool
	n    int
}

// get returns field name of a, or of ch when ch is not nil and name is a
// channel field. A channel field read without a channel is the list of its
// non-blank values over every channel.
func get(a *Application, ch *Channel, name string) value {
	if hasPrefixAt(name, 0, "channels.") && ch == nil {
		var list []string
		for i := range a.Channels {
			if v := get(a, &a.Channels[i], name); !blank(v.s) {
				list = append(list, v.s)
			}
		}
		return value{list: list}
	}
	switch name {
	case "access_path":
		return value{s: a.AccessPath}
	case "username":
		return value{s: a.Username}
	case "email":
		return value{s: a.Email}
	case "paypal_email":
		return value{s: a.PaypalEmail}
	case "channels":
		return value{n: len(a.Channels)}
	case "channels.url":
		return value{s: ch.URL}
	case "channels.kind":
		return value{s: ch.Kind}
	case "channels.public":
		return value{b: ch.Public}
	case "channels.status":
		return value{s: ch.Status}
	case "channels.last_post":
		return value{s: ch.LastPost}
	case "channels.original_posts":
		return value{n: ch.OriginalPosts}
	case "channels.copied_or_generated":
		return value{b: ch.CopiedOrGenerated}
	case "niche":
		return value{s: a.Niche}
	case "traffic_sources":
		return value{list: a.TrafficSources}
	case "geos":
		return value{list: a.Geos}
	case "content_types":
		return value{list: a.ContentTypes}
	case "promotion":
		return value{s: a.Promotion}
	case "practices":
		return value{list: a.Practices}
	case "network_profile_complete":
		return value{b: a.NetworkProfileComplete}
	case "accepts_terms":
		return value{b: a.AcceptsTerms}
	case "submitted":
		return value{s: a.Submitted}
	}
	return value{}
}

// CheckChoices reports the first enumerated value of a (access_path, a
// channel's kind or status, traffic_sources, content_types, practices)
// that is not one of that field's choices in r, at its place in the JSON
// a was decoded from. Fields r does not ask for are not checked.
func (r *Rules) CheckChoices(a *Application) *DecodeError {
	for _, c := range a.choices {
		f := r.field(c.field)
		if f == nil || f.Choices == nil || c.value == "" || f.choice(c.value) != nil {
			continue
		}
		var values []string
		for _, ch := range f.Choices {
			values = append(values, ch.Value)
		}
		return &DecodeError{Offset: c.off, Line: c.line, Col: c.col,
			Msg: c.path + ": unknown value " + quote(c.value) + " for " + r.Name + "; want one of " + joinList(values)}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
