package session

import (
	"regexp"
	"strings"
)

// pythonHost is the program a Python session runs (python3 -c): a
// read-evaluate loop over one namespace, the REPL's __main__, fed one
// block a line (JSON: body, value, pp) on its standard input. Each block
// is run as ob-python has the REPL run it
// (org-babel-python-evaluate-session): the body is written to a file, then
// org-babel-python--exec-tmpfile (output) or
// org-babel-python-format-session-value (value) runs it, inside
// org-babel-python--send-string's try/finally that prints the end
// indicator — whatever the block raises is printed after it, as the REPL
// prints it. The block's standard output and error are the host's, one
// stream, standard output line-buffered as on a terminal. Once started,
// and after each block, the host writes frameMark, the length of the value
// file and its bytes, then reads the next block (readRequest). On a
// terminal (terminal.Start) the block's standard input is that terminal,
// as the REPL's is in Emacs; else it is empty.
const pythonHost = `
def __borges_session_host():
    import builtins, io, json, os, sys, tempfile, traceback, types
    ctl = os.dup(0)
    tty = os.isatty(ctl)
    if tty:
        import termios
    else:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.stdin = open(os.devnull)
    os.dup2(1, 2)
    frames = os.fdopen(os.dup(1), 'wb', buffering=0)
    sys.stdout.reconfigure(line_buffering=True)
    def next_request(value):
        # The last block's frame, then the next block, read on a
        # terminal with its line discipline off (a block is no line
        # of a terminal: it may be longer than one holds), the
        # terminal's settings put back for the block.
        mode = None
        if tty:
            mode = termios.tcgetattr(ctl)
            raw = list(mode)
            raw[0] &= ~(termios.BRKINT | termios.ICRNL | termios.IGNCR | termios.INLCR | termios.ISTRIP | termios.IXON | termios.IXOFF)
            raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
            raw[6] = list(mode[6])
            raw[6][termios.VMIN] = 1
            raw[6][termios.VTIME] = 0
            termios.tcsetattr(ctl, termios.TCSANOW, raw)
        try:
            frames.write(b'\x1e\x1eBORGES-SESSION-END %d\n' % len(value) + value)
            line = bytearray()
            while not line.endswith(b'\n'):
                chunk = os.read(ctl, 1 << 16)
                if not chunk:
                    return None
                line += chunk
            return bytes(line)
        finally:
            if mode is not None:
                termios.tcsetattr(ctl, termios.TCSANOW, mode)
    main = types.ModuleType('__main__')
    main.__dict__['__builtins__'] = builtins
    sys.modules['__main__'] = main
    exec_tmpfile = """with open('%s') as __org_babel_python_tmpfile:
    exec(compile(__org_babel_python_tmpfile.read(), __org_babel_python_tmpfile.name, 'exec'))"""
    session_value = """import ast
with open('%s') as __org_babel_python_tmpfile:
    __org_babel_python_ast = ast.parse(__org_babel_python_tmpfile.read())
__org_babel_python_final = __org_babel_python_ast.body[-1]
if isinstance(__org_babel_python_final, ast.Expr):
    __org_babel_python_ast.body = __org_babel_python_ast.body[:-1]
    exec(compile(__org_babel_python_ast, '<string>', 'exec'))
    __org_babel_python_final = eval(compile(ast.Expression(
        __org_babel_python_final.value), '<string>', 'eval'))
    with open('%s', 'w') as __org_babel_python_tmpfile:
        if %s:
            import pprint
            __org_babel_python_tmpfile.write(pprint.pformat(__org_babel_python_final))
        else:
            __org_babel_python_tmpfile.write(str(__org_babel_python_final))
else:
    exec(compile(__org_babel_python_ast, '<string>', 'exec'))
    __org_babel_python_final = None"""
    send_string = """try:
%s
except:
    raise
finally:
    print('org_babel_python_eoe')"""
    value = b''
    while True:
        line = next_request(value)
        if not line:
            return
        req = json.loads(line)
        fd, src = tempfile.mkstemp(prefix='python-')
        with os.fdopen(fd, 'w') as f:
            f.write(req['body'])
        fd, res = tempfile.mkstemp(prefix='python-')
        os.close(fd)
        if req['value']:
            code = session_value % (src, res, 'True' if req['pp'] else 'False')
        else:
            code = exec_tmpfile % src
        code = send_string % '\n'.join(('    ' + l) if l.strip() else '' for l in code.split('\n'))
        try:
            exec(compile(code, '<string>', 'exec'), main.__dict__)
        except SystemExit:
            raise
        except BaseException:
            traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
        value = b''
        if req['value']:
            with open(res, 'rb') as f:
                value = f.read()
        for p in (src, res):
            try:
                os.remove(p)
            except OSError:
                pass
__borges_session_host()
`

// rubyLauncher is the program a Ruby session starts with (ruby -e
// rubyLauncher rubyIRBHost): it writes rubyIRBHost to a file of the
// temporary directory and becomes irb (the irb of the interpreter's own
// installation, else the PATH's) as inf-ruby runs it for ob-ruby ("irb
// --prompt default -r irb/completion --noreadline --nomultiline", in
// inf-ruby's environment), loading that file last. So blocks are
// evaluated by irb itself, statement by statement, in irb's call stack: an
// error's message and backtrace, irb's last value "_", its line numbers
// and prompts are irb's own.
const rubyLauncher = `
code = ARGV.shift
dir = ENV["TMPDIR"].to_s
dir = "/tmp" if dir.empty?
path = File.join(dir, "borges-irb-host-#{Process.pid}.rb")
File.open(path, File::WRONLY | File::CREAT | File::TRUNC, 0o600) { |f| f.write(code) }
cat = ENV["PATH"].to_s.split(File::PATH_SEPARATOR).map { |d| File.join(d, "cat") }.find { |f| File.executable?(f) }
ENV["PAGER"] = cat if cat
ENV["RUBY_DEBUG_NO_RELINE"] = "true"
require "rbconfig"
irb = File.join(RbConfig::CONFIG["bindir"], "irb")
irb = "irb" unless File.executable?(irb)
exec(irb, "--prompt", "default", "-r", "irb/completion", "--noreadline", "--nomultiline", "-r", path)
`

// rubyIRBHost is what irb loads in a Ruby session: an input method that
// reads blocks (a line "VALUE PP LENGTH", then the body) from irb's
// standard input (on a terminal, which the blocks' standard input then
// stays, as irb's is in Emacs; else it takes it over, and the blocks'
// is empty), and gives irb the lines ob-ruby's
// org-babel-ruby-evaluate sends inf-ruby for each, one line a call, as
// irb reads them from Emacs's terminal: in value mode the body, the line
// that writes "_" to a file (org-babel-ruby-f-write, or under pp its
// pretty-printing lines), the end indicator and an empty line; in output
// mode the end indicator alone, then the prompt-hiding line, the body,
// the line restoring the prompt and the end indicator, each line as the
// terminal's line discipline gives it (cut at 4095 bytes, a carriage
// return a line end). Once started, and
// after each of these stages, once irb has run its lines and printed its
// next prompt, the host writes a frame: frameMark, the length of the value
// file's text and the text. What Emacs's terminal gives irb is given as well: prompts
// (irb prints them only to a terminal), a window of no size (irb's echo of
// an assignment is "=> ..."), and exceptions' messages highlighted as for
// a terminal. The file deletes itself once loaded; it adds one class to
// the IRB module, nothing at the top level.
const rubyIRBHost = `
File.delete(__FILE__) rescue nil
class IRB::BorgesSessionInput < IRB::InputMethod
  FRAME = "\x1e\x1eBORGES-SESSION-END ".b
  EOE = ":org_babel_ruby_eoe"
  EOE_STRING = "puts \":org_babel_ruby_eoe\""
  F_WRITE = "File.open('%s','w'){|f| f.write((_.class == String) ? _ : _.inspect)}"
  PP_F_WRITE = "File.open('%s','w'){|f| $stdout = f; pp(results); $stdout = orig_out}"
  PROMPT_OFF = "conf.echo=false;_org_prompt_mode=conf.prompt_mode;conf.prompt_mode=:NULL"
  PROMPT_ON = "conf.prompt_mode=_org_prompt_mode;conf.echo=true"
  # MAX_LINE is the most bytes of a line a terminal's line discipline
  # keeps in canonical mode (Linux's N_TTY_BUF_SIZE less one).
  MAX_LINE = 4095

  def initialize(ctl, frames)
    super()
    @ctl, @frames = ctl, frames
    @line_no = 0
    @line = []
    @stages = []
    @lines = nil
    @value_file = nil
    @ended = false
  end

  def gets
    print @prompt
    while @lines.nil? || @lines.empty?
      if @stages.empty?
        return nil unless next_block
      else
        frame
      end
      @lines = @stages.shift
    end
    @line[@line_no += 1] = @lines.shift
  end

  def eof?
    @ended
  end

  def readable_after_eof?
    false
  end

  def line(line_no)
    @line[line_no]
  end

  def encoding
    IRB.conf[:LC_MESSAGES].encoding
  end

  def winsize
    [0, 0]
  end

  def inspect
    "StdioInputMethod"
  end

  private

  # next_block writes the last block's frame (at the start, a frame that
  # says the host is ready) and reads the next block: on a terminal with
  # its line discipline off (a block is no line of a terminal: it may be
  # longer than one holds), the terminal's settings put back for the
  # block.
  def next_block
    return frame && read_block unless @ctl.tty?
    @ctl.raw(min: 1, time: 0) { frame && read_block }
  end

  def read_block
    head = @ctl.gets
    if head.nil?
      @ended = true
      return false
    end
    value, pp, n = head.split.map(&:to_i)
    body = (@ctl.read(n) || "").force_encoding(encoding)
    body = body.sub(/[ \f\t\n\r\v]+\z/, "")
    if value == 1
      @value_file = temp_file
      inputs = []
      inputs << "require 'pp';" if pp == 1
      inputs << body
      if pp == 1
        inputs.concat(["results=_", "require 'pp'", "orig_out = $stdout", PP_F_WRITE % @value_file])
      else
        inputs << F_WRITE % @value_file
      end
      inputs.concat([EOE, ""])
      @stages << lines(inputs)
    else
      @stages << lines([EOE_STRING])
      @stages << lines([PROMPT_OFF, body, PROMPT_ON, EOE_STRING])
    end
    true
  end

  # lines are what irb reads of inputs sent one after the other, each
  # ended by a newline as comint sends it, through Emacs's terminal: its
  # line discipline reads a carriage return as a newline (ICRNL), and
  # keeps a line's first MAX_LINE bytes and its newline, the rest lost.
  def lines(inputs)
    inputs.map { |i| i + "\n" }.join.b.tr("\r", "\n").lines.map do |l|
      l = l.byteslice(0, MAX_LINE) + "\n" if l.bytesize > MAX_LINE + 1
      l.force_encoding(encoding)
    end
  end

  def temp_file
    dir = ENV["TMPDIR"].to_s
    dir = "/tmp" if dir.empty?
    chars = [*"a".."z", *"A".."Z", *"0".."9"]
    100.times do
      path = File.join(dir, "ruby-" + Array.new(6) { chars.sample }.join)
      begin
        File.open(path, File::WRONLY | File::CREAT | File::EXCL, 0o600).close
        return path
      rescue Errno::EEXIST
      end
    end
    raise "borges: no temporary file for the value"
  end

  def frame
    value = "".b
    if @value_file
      value = (File.binread(@value_file) rescue "".b)
      File.delete(@value_file) rescue nil
      @value_file = nil
    end
    @frames.write(FRAME + value.bytesize.to_s + "\n" + value)
    true
  end
end
IRB.conf[:VERBOSE] = false
IRB::Context.prepend(Module.new { def prompting?; true; end })
Exception.prepend(Module.new { def full_message(**opts); super(**{highlight: true}.merge(opts)); end })
ctl = STDIN.dup
ctl.binmode
if ctl.tty?
  require "io/console"
else
  STDIN.reopen(File::NULL)
end
STDERR.reopen(STDOUT)
frames = STDOUT.dup
frames.binmode
frames.sync = true
IRB.conf[:SCRIPT] = IRB::BorgesSessionInput.new(ctl, frames)
`

// RubyOutput is what a Ruby session block printed, irb's prompts taken
// out: its log.
func RubyOutput(transcript string) string {
	return chomp(strings.Join(splitString(transcript, rubyPromptRe), ""))
}

// rubyPromptRe is inf-ruby's prompt pattern (inf-ruby-prompt-pattern, the
// comint-prompt-regexp of an inf-ruby buffer; inf-ruby 2.9.0), matched as
// Emacs matches it by default: ignoring case.
var rubyPromptRe = regexp.MustCompile("(?mi)" +
	`(^[?>]> *)|(^\(rdb:1\) *)|(^\(rdbg[^)]*\) *)|(^\(byebug\) *)|` +
	`(^[a-z0-9\-_]+\([a-z0-9\-_]+\)` + rubyPromptDelims + ` *)|` +
	`(^(irb\([^)]+\)|([\[0-9]+\] )?[Pp]ry ?\([^)]+\)|(jruby-|JRUBY-)?[1-9]\.[0-9](\.[0-9]+)*(-?p?[0-9]+)?|^rbx-head) ?[0-9:]* ?` + rubyPromptDelims + ` *)`)

// rubyPromptDelims are the characters that end an irb prompt.
const rubyPromptDelims = "[\\]>*\"'/`]"

// RubyOutputResult is org-babel-ruby-evaluate's result of a block in
// output mode: what irb printed from the prompt-hiding line's prompt to
// the prompt after the end indicator (out), with the echoed body removed,
// split at irb's prompts, each piece trimmed, the pieces joined by
// newlines, then split into lines, of which the last four (irb's echo of
// the line restoring the prompt, the end indicator, its echo and what
// follows the last prompt) are dropped.
func RubyOutputResult(body, out string) string {
	pieces := splitString(removeEcho(out, body), rubyPromptRe)
	for i, p := range pieces {
		pieces[i] = orgTrim(p)
	}
	lines := regexp.MustCompile(`[\r\n]`).Split(strings.Join(pieces, "\n"), -1)
	if len(lines) <= 4 {
		return ""
	}
	return strings.Join(lines[:len(lines)-4], "\n")
}
