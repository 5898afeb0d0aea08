namespace Cairn.Core.Restore;

/// <summary>
/// Where one blob goes: files and the offsets in them. The first place is held inline, since most blobs go to one
/// place only; a restore of many files then needs no list per blob.
/// </summary>
internal struct BlobTargets
{
    private (RestoreFile File, long Offset) _first;
    private List<(RestoreFile File, long Offset)>? _more;

    public void Add(RestoreFile file, long offset)
    {
        if (_first.File is null)
            _first = (file, offset);
        else
            (_more ??= []).Add((file, offset));
    }

    public readonly Enumerator GetEnumerator() => new(this);

    /// <summary>Goes through the places without allocating.</summary>
    public struct Enumerator(BlobTargets targets)
    {
        private int _index = -1;

        public readonly (RestoreFile File, long Offset) Current => _index == 0 ? targets._first : targets._more![_index - 1];

        public bool MoveNext()
        {
            _index++;
            return _index == 0 ? targets._first.File is not null : _index - 1 < (targets._more?.Count ?? 0);
        }
    }
}
