/// Values by SQLite row id, for a scan that resolves two ids per row 500,000 times: an
/// array indexed by id when the ids are dense (they are: ids are assigned in order and
/// flags are never deleted), a dictionary otherwise.
struct RowIDMap<Value> {
    private var dense: [Value?] = []
    private var sparse: [Int64: Value] = [:]

    init(_ pairs: [(Int64, Value)]) {
        let maxID = pairs.map(\.0).max() ?? 0
        if pairs.allSatisfy({ $0.0 >= 0 }), maxID < Int64(4 * pairs.count + 64) {
            dense = Array(repeating: nil, count: Int(maxID) + 1)
            for (id, v) in pairs { dense[Int(id)] = v }
        } else {
            sparse = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        }
    }

    subscript(id: Int64) -> Value? {
        if !dense.isEmpty { return id >= 0 && id < Int64(dense.count) ? dense[Int(id)] : nil }
        return sparse[id]
    }
}
