namespace Cairn.Core.Check;

/// <summary>One thing check found wrong.</summary>
/// <param name="Object">The damaged or missing object, e.g. <c>data/3f/3f2a…</c>, <c>index/…</c>, <c>snapshots/…</c>.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record CheckProblem(string Object, string Message);
