package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// pythonLangs are the languages ob-python evaluates.
var pythonLangs = map[string]bool{"python": true, "python3": true}

// resultReading says where a block's result comes from and how its
// language's Babel reads it: in value mode (Babel's default) Python's and
// Ruby's value is what main() returns and Perl's what its sub returns, all
// written to the value file; JavaScript's value is printed on standard
// output; Perl's output is read as a table too.
func resultReading(lang string, args org.Args) (valueFile bool, reader org.Reader) {
	value := valueMode(args)
	switch {
	case elispLangs[lang]:
		// The batch Emacs writes the result, value or output.
		return true, org.ReadLisp
	// ob-python and ob-ruby read output too as they read a value
	// (org-babel-result-cond keeps it as text unless :results table).
	case pythonLangs[lang]:
		return value, org.ReadPython
	case lang == "ruby":
		return value, org.ReadRuby
	case lang == "perl":
		return value, org.ReadPerl
	case jsLangs[lang] && value:
		return false, org.ReadJS
	// org-babel-js-read reads output too, under :results output table.
	case jsLangs[lang] && !org.ResultCondScalar(args):
		return false, org.ReadJS
	}
	return false, org.ReadGeneric
}

// valueMode reports whether :results asks for a value (not "output").
func valueMode(args org.Args) bool {
	v, _ := args.Get("results")
	for _, w := range strings.Fields(v) {
		if w == "output" {
			return false
		}
	}
	return true
}

// pythonWrapper is org-babel-python-wrapper-method (and its pp variant)
// with the file the value goes to named by the environment: the backend
// sets BORGES_VALUE_FILE, and reads the value back as the block's result.
const (
	pythonWrapper   = "\ndef main():\n%s\n\nopen(__import__('os').environ.get('BORGES_VALUE_FILE', 'borges-value'), 'w').write( str(main()) )"
	pythonPPWrapper = "\nimport pprint\ndef main():\n%s\n\nopen(__import__('os').environ.get('BORGES_VALUE_FILE', 'borges-value'), 'w').write( pprint.pformat(main()) )"
)

// shiftRight is org-babel-python--shift-right: four more spaces on every
// line but empty ones and those that start inside a string (as
// python-syntax-context sees it); lines of blanks only become empty.
func shiftRight(body string) string {
	lines := strings.Split(body, "\n")
	inString := ""
	for i, ln := range lines {
		if inString == "" {
			switch {
			case ln == "":
			case strings.TrimLeft(ln, " \t") == "":
				lines[i] = ""
			default:
				lines[i] = "    " + ln
			}
		}
		inString = stringState(ln, inString)
	}
	return strings.Join(lines, "\n")
}

// stringState follows strings across a line as python-mode's syntax
// does: it returns the delimiter of the string still open at the line's
// end ("" for none). A string of one quote goes on past the line's end
// when it is not closed there (escaped newline or not): Emacs's syntax
// table does not end a string at a newline. A backslash escapes the
// next character, in a string or not.
//
// Triple quotes are python-syntax-propertize-function's: it finds each
// run of three double or three single quotes in the raw text, left to
// right, whatever the strings, and python-syntax-stringify gives one of
// its quotes string-fence syntax: none inside a comment or a string of the other triple quote; none
// when the first quote is escaped (the search goes on after it); the
// first when a string of the same triple quote is open (it closes it),
// else the last (it opens one). The other two stay plain quotes, and a
// fence inside a one-quote string is a plain character of it: after
// "a""" a one-quote string is open (the closing quote, a new string, a
// fence in it).
func stringState(ln, open string) string {
	search := 0 // where the search for the next triple quote goes on
	fence := -1 // the quote given string-fence syntax
	for i := 0; i < len(ln); i++ {
		c := ln[i]
		if i >= search && (strings.HasPrefix(ln[i:], `"""`) || strings.HasPrefix(ln[i:], `'''`)) {
			search = i + 3
			switch {
			case len(open) == 3 && open[0] != c:
			case len(open) == 3:
				fence = i
			default:
				fence = i + 2
			}
		}
		switch {
		case i == fence:
			switch len(open) {
			case 0:
				open = ln[i : i+1]
				open += open + open
			case 3:
				open = ""
			}
		case c == '#' && open == "":
			return ""
		case c == '\\':
			i++
		case (c == '"' || c == '\'') && open == "":
			open = ln[i : i+1]
		case len(open) == 1 && c == open[0]:
			open = ""
		}
	}
	return open
}

// jsLangs are the languages ob-js evaluates.
var jsLangs = map[string]bool{"js": true, "node": true, "javascript": true}

// jsWrapper is org-babel-js-function-wrapper: in value mode the body is a
// function whose value node prints (util.inspect) as the result.
const jsWrapper = "require('process').stdout.write(require('util').inspect(function(){%s}()));"

// rubyWrapper is org-babel-ruby-wrapper-method (and its pp variant), the
// value written to the file BORGES_VALUE_FILE names.
const rubyWrapper = `
def main()
%s
end
results = main()
File.open(ENV['BORGES_VALUE_FILE'], 'w'){ |f| f.write((results.class == String) ? results : results.inspect) }
`

const rubyPPWrapper = `
require 'pp'
def main()
%s
end
results = main()
File.open(ENV['BORGES_VALUE_FILE'], 'w') do |f|
  $stdout = f
  pp results
end
`

// perlWrapper is org-babel-perl-wrapper-method, the value written to the
// file BORGES_VALUE_FILE names.
const perlWrapper = `{
    my $babel_sub = sub {
        %s
    };
    open my $BOH, qq(>$ENV{BORGES_VALUE_FILE}) or die qq(Perl: Could not open output file.$/);
    my $rv = &$babel_sub();
    my $rt = ref $rv;
    select $BOH;
    if (qq(ARRAY) eq $rt) {
        local $\=$/;
        local $,=qq(\t);
	foreach my $rv ( @$rv ) {
	    my $rt = ref $rv;
	    if (qq(ARRAY) eq $rt) {
		print @$rv;
	    } else {
		print $rv;
	    }
	}
    } else {
	print $rv;
    }
}`
