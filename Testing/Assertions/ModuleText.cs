using System.Reflection;
using Linen.Functional;
using Module = Linen.Functional.Module;

namespace Linen.Testing;

/// <summary>How failure messages name a module: its C# type and hyperparameters, e.g. <c>MyConv { KernelSize = [3, 3] }</c>.</summary>
internal static class ModuleText
{
    public static string Describe(Module module)
    {
        // Name and TypeName (and overrides of them) say nothing about the configuration; Name is shown separately.
        var settings = module.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod?.GetBaseDefinition().DeclaringType != typeof(Module))
            .Select(p => $"{p.Name} = {Format(p.GetValue(module))}")
            .ToArray();
        var name = module.Name is null ? "" : $" '{module.Name}'";
        return settings.Length == 0 ? $"{module.GetType().Name}{name}" : $"{module.GetType().Name}{name} {{ {string.Join(", ", settings)} }}";
    }

    // Arrays (kernel sizes, axes) and child modules print their contents, not their C# type names.
    private static string Format(object? value) => value switch
    {
        null => "null",
        Delegate d => d.GetType().Name,
        Module m => Describe(m),
        string text => text,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
