namespace Linen.Functional;

/// <summary>Base of every error Linen raises on misuse; messages name the module path and what was expected.</summary>
public class LinenException : Exception
{
    /// <summary>Creates the error with its full message.</summary>
    public LinenException(string message) : base(message) { }

    /// <summary>Creates the error with its full message and the underlying cause.</summary>
    public LinenException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A module asked for a parameter or variable that the given variables do not contain.</summary>
public sealed class VariableNotFoundException(string message) : LinenException(message);

/// <summary>A stored parameter's shape differs from the one the module declares.</summary>
public sealed class ParamShapeException(string message) : LinenException(message);

/// <summary>A module wrote to a collection that is not mutable in this call.</summary>
public sealed class ImmutableCollectionException(string message) : LinenException(message);

/// <summary>A module asked for a key of an RNG stream that was not supplied (nor <c>params</c> to fall back on).</summary>
public sealed class MissingRngException(string message) : LinenException(message);

/// <summary>The variables passed to <c>Apply</c> are wrapped once too often (<c>{"params": {"params": …}}</c>).</summary>
public sealed class InvalidVariablesStructureException(string message) : LinenException(message);

/// <summary>Two submodules or variables of one module share a name.</summary>
public sealed class NameInUseException(string message) : LinenException(message);

/// <summary>An input to a module has the wrong rank, size or type.</summary>
public sealed class InputShapeException(string message) : LinenException(message);

/// <summary>Two trees that must have the same structure differ.</summary>
public sealed class TreeStructureException(string message) : LinenException(message);
