namespace Linen.Cli.Data;

/// <summary>Data that is missing, corrupt or unreadable: a problem the user fixes, reported as one line.</summary>
/// <param name="message">What is wrong and, where possible, how to fix it.</param>
internal class DataException(string message) : UserException(message);
