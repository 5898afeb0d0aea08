namespace Cairn.Core.Export;

/// <summary>The archive formats <c>cairn export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>POSIX pax tar with GNU tar's attribute, ACL and sparse extensions: everything tar can carry.</summary>
    Pax,
    /// <summary>Old GNU tar: long names and sparse files, but no attributes, ACLs or sub-second times.</summary>
    Gnu,
    /// <summary>Zip, for people on other systems: content, names, modes, symlinks and times to two seconds.</summary>
    Zip,
}
