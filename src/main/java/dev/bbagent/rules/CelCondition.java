package dev.bbagent.rules;

import dev.bbagent.event.EventFields;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule's {@code if:} condition, a CEL expression over the event (docs/events.md names the fields).
 * Compiling checks the syntax, that every field it reads exists in the event model, and that the result
 * is a boolean. Evaluating never throws past {@link #test}: a runtime error is reported as such.
 */
final class CelCondition {

    private static final CelCompiler COMPILER = compiler();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder().build();

    private final String source;
    private final CelRuntime.Program program;

    private CelCondition(String source, CelRuntime.Program program) {
        this.source = source;
        this.program = program;
    }

    private static CelCompiler compiler() {
        var b = CelCompilerFactory.standardCelCompilerBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        for (String root : EventFields.roots()) {
            b.addVar(root, root.equals("thread") ? SimpleType.STRING : MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        return b.build();
    }

    /** The outcome of compiling: a condition or the reasons it does not compile. */
    record Compiled(CelCondition condition, List<String> errors) {}

    static Compiled compile(String source) {
        CelValidationResult result = COMPILER.compile(source);
        List<String> errors = new ArrayList<>();
        if (result.hasError()) {
            for (CelIssue issue : result.getErrors()) {
                errors.add(issue.getMessage() + position(issue));
            }
            return new Compiled(null, errors);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            return new Compiled(null, List.of(e.getMessage()));
        }
        checkFields(ast.getExpr(), errors);
        if (!errors.isEmpty()) {
            return new Compiled(null, errors);
        }
        String resultType = ast.getResultType().name();
        if (!resultType.equals("bool") && !isBooleanField(ast.getExpr())) {
            String hint = resultType.equals("dyn") ? "an event field that is not a boolean" : "a " + resultType;
            return new Compiled(null, List.of("must be a boolean condition, but it is " + hint
                    + "; compare it, e.g. pull_request.title != \"\""));
        }
        try {
            return new Compiled(new CelCondition(source, RUNTIME.createProgram(ast)), List.of());
        } catch (CelEvaluationException e) {
            return new Compiled(null, List.of(e.getMessage()));
        }
    }

    private static String position(CelIssue issue) {
        var loc = issue.getSourceLocation();
        return loc.getLine() > 0 ? " (at column " + (loc.getColumn() + 1) + ")" : "";
    }

    /** Every field path the expression reads must exist (anything under payload is allowed). */
    private static void checkFields(CelExpr expr, List<String> errors) {
        String path = selectPath(expr);
        if (path != null && path.contains(".")) {
            if (EventFields.typeOf(path) == null) {
                errors.add("the event has no field '" + path + "'" + Suggestions.field(path));
            }
            return;
        }
        switch (expr.getKind()) {
            case SELECT -> checkFields(expr.select().operand(), errors);
            case CALL -> {
                expr.call().target().ifPresent(t -> checkFields(t, errors));
                expr.call().args().forEach(a -> checkFields(a, errors));
            }
            case LIST -> expr.list().elements().forEach(e -> checkFields(e, errors));
            case MAP -> expr.map().entries().forEach(e -> {
                checkFields(e.key(), errors);
                checkFields(e.value(), errors);
            });
            case COMPREHENSION -> {
                checkFields(expr.comprehension().iterRange(), errors);
                checkFields(expr.comprehension().loopStep(), errors);
                checkFields(expr.comprehension().loopCondition(), errors);
            }
            default -> { }
        }
    }

    /** {@code a.b.c} for a chain of field selections on a variable, else null. */
    private static String selectPath(CelExpr expr) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            return EventFields.roots().contains(expr.ident().name()) ? expr.ident().name() : null;
        }
        if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            String parent = selectPath(expr.select().operand());
            return parent == null ? null : parent + "." + expr.select().field();
        }
        return null;
    }

    private static boolean isBooleanField(CelExpr expr) {
        String path = selectPath(expr);
        return path != null && EventFields.typeOf(path) == EventFields.Type.BOOL;
    }

    /** True when the condition holds. */
    boolean test(CelVariableResolver vars) throws CelEvaluationException {
        Object v = program.eval(vars);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new CelEvaluationException("the condition gave " + v + " instead of true or false");
    }

    String source() {
        return source;
    }

}
