package session

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
// stream, standard output line-buffered as on a terminal; its standard
// input is empty. After each block the host writes frameMark, the length
// of the value file and its bytes.
const pythonHost = `
def __borges_session_host():
    import builtins, io, json, os, sys, tempfile, traceback, types
    ctl = os.fdopen(os.dup(0), 'rb', buffering=0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(1, 2)
    frames = os.fdopen(os.dup(1), 'wb', buffering=0)
    sys.stdin = open(os.devnull)
    sys.stdout.reconfigure(line_buffering=True)
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
    while True:
        line = ctl.readline()
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
        frames.write(b'\x1e\x1eBORGES-SESSION-END %d\n' % len(value) + value)
__borges_session_host()
`

// rubyHost is the program a Ruby session runs (ruby -e): one binding, the
// top level's as irb's, fed one block a line (JSON: body, value, pp). A
// block in value mode is evaluated, then its value written as ob-ruby's
// org-babel-ruby-f-write writes irb's "_" (a String as it is, anything
// else inspected; under pp, pretty-printed); when the block raises, the
// error is printed as irb prints it and "_" keeps the value it had, the
// end indicator of the block before. Output and value follow the frame as
// in pythonHost.
const rubyHost = `
require 'json'
require 'pp'
ctl = STDIN.dup
STDIN.reopen(File::NULL)
STDERR.reopen(STDOUT)
STDOUT.sync = true
frames = STDOUT.dup
frames.sync = true
__borges_binding = TOPLEVEL_BINDING
__borges_last = nil
while (line = ctl.gets)
  req = JSON.parse(line)
  value = ''
  begin
    v = __borges_binding.eval(req['body'], '(irb)', 1)
    ok = true
  rescue Exception => e
    raise if e.is_a?(SystemExit)
    STDOUT.print "#{e.class}: #{e.message}\n"
    (e.backtrace || []).each { |l| STDOUT.print "\tfrom #{l}\n" }
    v = __borges_last
    ok = false
  end
  if req['value']
    if req['pp']
      value = v.pretty_inspect
    else
      value = (v.class == String) ? v : v.inspect
    end
    __borges_last = :org_babel_ruby_eoe
  else
    __borges_last = nil
  end
  STDOUT.flush
  frames.write("\x1e\x1eBORGES-SESSION-END #{value.bytesize}\n" + value)
end
`

// RubyOutput is a Ruby session block's output as Babel gives it: what
// the block printed, without its last line end.
func RubyOutput(transcript string) string {
	return chomp(transcript)
}
