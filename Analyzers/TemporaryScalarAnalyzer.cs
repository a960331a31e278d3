using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Linen.Analyzers;

/// <summary>
/// LINEN001: a <c>TorchSharp.Scalar</c> made on the fly for one native call. TorchSharp 0.107's Scalar has a
/// finalizer and belongs to no dispose scope; once the callee has read its native handle nothing references
/// the temporary, so a garbage collection started by any other thread can finalize it while LibTorch still
/// reads it. The process then dies at random, long into a run ("Scalar::toDouble", "Unknown scalar type";
/// upstream dotnet/TorchSharp#1434). Two forms are flagged:
/// <list type="bullet">
/// <item>our code making the temporary: <c>t.mul(0.5)</c>, <c>t.clamp(min: 0)</c>, <c>t.mul(x.ToScalar())</c>;</item>
/// <item>TorchSharp members that make one inside (<see cref="UnsafeMembers"/>): <c>a + b</c>, <c>t * 2</c>,
/// <c>t.square()</c>, <c>t.add(u)</c>, …</item>
/// </list>
/// The fix is to hold the scalar across the call: <c>using var s = x.ToScalar();</c>, a cached constant from
/// <c>Linen.Functional.Scalars</c>, or the helpers there (<c>Scalars.Add</c>, …).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "LINEN001";

    /// <summary>
    /// TorchSharp 0.107 members whose bodies (directly or through a thin wrapper) pass a fresh Scalar to a
    /// native call, found by scanning the IL of TorchSharp.dll for calls to <c>Scalar.op_Implicit</c> and
    /// <c>ToScalar</c> (and for calls to such members), TorchScript and tensorboard members left out. Keyed as <c>Type.member(ParamType,…)</c> with metadata type names.
    /// </summary>
    internal static readonly ImmutableHashSet<string> UnsafeMembers = ImmutableHashSet.Create(
        "Tensor.add(Tensor)", "Tensor.add(Scalar)", "Tensor.add_(Tensor)", "Tensor.add_(Scalar)",
        "torch.add(Tensor,Tensor)", "torch.add(Tensor,Scalar)", "torch.add_(Tensor,Tensor)", "torch.add_(Tensor,Scalar)",
        "Tensor.addcdiv(Tensor,Tensor)", "Tensor.addcdiv_(Tensor,Tensor)",
        "Tensor.op_Addition(Tensor,Tensor)", "Tensor.op_Addition(Tensor,Scalar)", "Tensor.op_Addition(Scalar,Tensor)",
        "Tensor.op_Subtraction(Tensor,Scalar)", "Tensor.op_Subtraction(Scalar,Tensor)",
        "Tensor.square()", "torch.square(Tensor)",
        "Tensor.celu()", "Tensor.celu_()", "Tensor.elu(Double)", "Tensor.elu_(Double)", "Tensor.softplus(Double,Double)",
        "functional.celu(Tensor,Double,Boolean)", "functional.elu(Tensor,Double,Boolean)",
        "functional.softplus(Tensor,Double,Double)", "functional.leaky_relu(Tensor,Double,Boolean)",
        "functional.hardtanh(Tensor,Double,Double,Boolean)", "functional.Hardtanh(Tensor,Double,Double,Boolean)",
        "functional.threshold(Tensor,Double,Double,Boolean)", "functional.Threshold(Tensor,Double,Double,Boolean)",
        "functional.hardshrink(Tensor,Double)", "functional.Hardshrink(Tensor,Double)",
        "functional.softshrink(Tensor,Double)", "functional.Softshrink(Tensor,Double)",
        "functional.mish(Tensor,Boolean)", "functional.Mish(Tensor)", "functional.softsign(Tensor,Boolean)", "functional.Softsign(Tensor)",
        "torch.normal(Tensor,Tensor,Generator)",
        "linalg.vector_norm(Tensor,Double,Int64[],Boolean)", "linalg.matrix_norm(Tensor,Double,Int64[],Boolean)",
        "torch.arange(Scalar,Nullable`1,Device,Boolean)", "torch.arange(Scalar,Scalar,Nullable`1,Device,Boolean)",
        "torch.normal(Double,Double,ReadOnlySpan`1,Nullable`1,Device,Boolean,Generator,String[])");

    private static readonly ImmutableHashSet<string> NumericOperators = ImmutableHashSet.Create(
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_Modulus");

    private static readonly DiagnosticDescriptor Rule = new(
        Id,
        "TorchSharp Scalar temporary",
        "{0} makes a TorchSharp Scalar that nothing holds during the native call; the GC may finalize it mid-call and crash the process. Hold it ('using var s = value.ToScalar();', a cached Linen.Functional.Scalars constant, or the Scalars helpers).",
        "Reliability",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null) return;
            start.RegisterOperationAction(c => CheckConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => CheckInvocation(c, scalar), OperationKind.Invocation);
            start.RegisterOperationAction(c => CheckOperator(c, ((IBinaryOperation)c.Operation).OperatorMethod), OperationKind.Binary);
            start.RegisterOperationAction(c => CheckOperator(c, ((ICompoundAssignmentOperation)c.Operation).OperatorMethod), OperationKind.CompoundAssignment);
        });
    }

    private static void CheckConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.OperatorMethod is null || !SymbolEqualityComparer.Default.Equals(conversion.Type, scalar)) return;
        if (!IsHeld(conversion)) Report(context, "This conversion to Scalar");
    }

    private static void CheckInvocation(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (!IsTorchSharp(method)) return;
        if (UnsafeMembers.Contains(Key(method))) Report(context, $"TorchSharp's {method.Name}({Parameters(method)})");
        else if (SymbolEqualityComparer.Default.Equals(method.ReturnType, scalar) && !IsHeld(context.Operation))
            Report(context, $"This {method.Name}() result");
    }

    private static void CheckOperator(OperationAnalysisContext context, IMethodSymbol? method)
    {
        if (method is null || !IsTorchSharp(method)) return;
        var numeric = NumericOperators.Contains(method.Name) && method.Parameters.Any(p => p.Type.SpecialType != SpecialType.None);
        if (numeric || UnsafeMembers.Contains(Key(method))) Report(context, $"TorchSharp's operator {method.Name}({Parameters(method)})");
    }

    private static void Report(OperationAnalysisContext context, string what) =>
        context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), what));

    private static bool IsTorchSharp(IMethodSymbol method) => method.ContainingAssembly?.Name == "TorchSharp";

    private static string Key(IMethodSymbol method) => $"{method.ContainingType.Name}.{method.Name}({Parameters(method)})";

    private static string Parameters(IMethodSymbol method) => string.Join(",", method.Parameters.Select(p => TypeName(p.Type)));

    private static string TypeName(ITypeSymbol type) =>
        type is IArrayTypeSymbol array ? TypeName(array.ElementType) + "[]" : type.MetadataName;

    /// <summary>Stored in a variable, field or property, or returned: something references it beyond the expression.</summary>
    private static bool IsHeld(IOperation value)
    {
        var parent = value.Parent;
        while (parent is IConversionOperation { OperatorMethod: null } or IParenthesizedOperation or IConditionalAccessOperation)
            parent = parent.Parent;
        return parent is IVariableInitializerOperation or ISimpleAssignmentOperation or IFieldInitializerOperation
            or IPropertyInitializerOperation or IReturnOperation;
    }
}
