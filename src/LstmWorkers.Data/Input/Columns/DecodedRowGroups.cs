namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// The decoders of the row group the last read pass decoded, kept for the next pass of the process. A coordinator cuts
/// a row group larger than a part into several shards and reads each in a pass of its own; without this every shard
/// decoded the whole row group again (docs/BENCHMARKS.md: W2's one row group cut into ten shards, ten decodes of 141 MB
/// of floats, 11 s of coordinator CPU per job). A pass takes the kept decoders when they were made for its options, so
/// their buffers are reused even when they hold another row group; what they hold is used only for the same row group
/// of the same file, unchanged (path, length and modification time). One set is kept, so its memory (one row group's
/// values, its compressed chunk and largest page) stays in use between passes.
/// </summary>
internal static class DecodedRowGroups
{
    private static Decoded? s_kept;

    /// <summary>The kept decoders, when made for <paramref name="options"/> and <paramref name="kind"/>; else new ones.</summary>
    public static Decoded Take(DatasetReadOptions options, SequenceKind kind)
    {
        Decoded? kept = Interlocked.Exchange(ref s_kept, null);
        return kept is not null && kept.Options == options && kept.Kind == kind ? kept : new Decoded(options, kind);
    }

    /// <summary>Keeps <paramref name="decoded"/> for the next pass (replacing what was kept).</summary>
    public static void Keep(Decoded decoded) => Volatile.Write(ref s_kept, decoded);

    /// <summary>A file's row group as a pass sees it; equal only while the file is unchanged.</summary>
    public readonly record struct Group(string Path, long Length, DateTime Modified, int Index);

    /// <summary>A pass's decoders and the row group each holds (null: nothing usable, as after a failed decode).</summary>
    public sealed class Decoded(DatasetReadOptions options, SequenceKind kind)
    {
        public DatasetReadOptions Options { get; } = options;

        public SequenceKind Kind { get; } = kind;

        public SequenceDecoder Sequence { get; } = new(options, kind);

        public Group? SequenceGroup { get; set; }

        public IdDecoder Ids { get; } = new();

        public Group? IdsGroup { get; set; }
    }
}
