"""Checks the README's Python examples against the Python bindings jsii-pacmak generates.

Usage: python3 scripts/check-readme-python.py <jsii-pacmak python outdir> README.md [more.md …]

Neither aws_cdk nor the jsii runtime can be installed offline, so the examples are not run.
Each one is compiled (as py_compile does), and every name it imports from this library, every
keyword argument it passes to one of the library's classes or static methods, and every required
keyword argument it leaves out are checked against the generated module, read with Python's own
parser (`ast`), not imported.
"""
import ast
import pathlib
import re
import sys

MODULE = "cdk_keep_data_up_to_date"


def keyword_parameters(function):
    """The keyword-only parameters of a generated function: (all, required)."""
    args = function.args
    names = [arg.arg for arg in args.kwonlyargs]
    required = [arg.arg for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is None]
    return set(names), set(required)


def is_static(function):
    """`@builtins.classmethod` or `@builtins.staticmethod`, as jsii-pacmak writes them."""
    return any(
        (decorator.attr if isinstance(decorator, ast.Attribute) else getattr(decorator, "id", None)) in ("classmethod", "staticmethod")
        for decorator in function.decorator_list
    )


def library_signatures(module_file):
    """Each public class of the module: its constructor's and static methods' keyword parameters."""
    source = module_file.read_text()
    signatures = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
            continue
        methods = {}
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and (item.name == "__init__" or is_static(item)):
                methods[item.name] = keyword_parameters(item)
        signatures[node.name] = methods
    return signatures


def called_method(call):
    """`Class(...)` as (Class, "__init__"), `Class.method(...)` as (Class, "method")."""
    if isinstance(call.func, ast.Name):
        return call.func.id, "__init__"
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
        return call.func.value.id, call.func.attr
    return None, None


def check_example(number, code, signatures):
    problems = []
    try:
        tree = compile(code, f"README python example {number}", "exec", flags=ast.PyCF_ONLY_AST)
        compile(code, f"README python example {number}", "exec")
    except SyntaxError as error:
        return [f"example {number} does not compile: {error}"]
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == MODULE:
            for alias in node.names:
                if alias.name not in signatures:
                    problems.append(f"example {number}: {MODULE} has no {alias.name}")
                imported.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        class_name, method = called_method(node)
        if class_name not in imported or class_name not in signatures:
            continue
        methods = signatures[class_name]
        where = f"example {number}, line {node.lineno}: {class_name}{'' if method == '__init__' else '.' + method}"
        if method not in methods:
            problems.append(f"{where} does not exist in the generated module")
            continue
        accepted, required = methods[method]
        given = {keyword.arg for keyword in node.keywords if keyword.arg is not None}
        for name in sorted(given - accepted):
            problems.append(f"{where} has no keyword argument {name} (it takes {', '.join(sorted(accepted))})")
        if not any(keyword.arg is None for keyword in node.keywords):
            for name in sorted(required - given):
                problems.append(f"{where} needs the keyword argument {name}")
    return problems


def main(generated, *readmes):
    modules = list(pathlib.Path(generated).glob(f"**/{MODULE}/__init__.py"))
    if len(modules) != 1:
        print(f"no generated {MODULE} module under {generated}", file=sys.stderr)
        return 1
    signatures = library_signatures(modules[0])
    failed = False
    for readme in readmes:
        blocks = re.findall(r"^```python[^\n]*\n(.*?)^```$", pathlib.Path(readme).read_text(), re.M | re.S)
        problems = [problem for number, code in enumerate(blocks, 1) for problem in check_example(number, code, signatures)]
        if not blocks:
            problems.append("no python examples")
        for problem in problems:
            print(f"{readme}: {problem}", file=sys.stderr)
        if problems:
            failed = True
        else:
            print(f"{readme}: {len(blocks)} python example(s) compile and call {MODULE} as its generated bindings declare")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
