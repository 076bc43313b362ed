/// `depends_on` between flags. Cycles are refused at write time so evaluation and the
/// kill dialog's "also affected" list never loop.
public enum DependencyGraph {
    /// Returns a cycle as a path (first == last) if adding `edges` for `key` creates one.
    public static func cycle(adding key: String, dependsOn deps: [String], to flags: [Flag]) -> [String]? {
        var graph: [String: [String]] = [:]
        for f in flags { graph[f.key] = f.dependsOn }
        graph[key] = deps
        var path: [String] = []
        var onPath: Set<String> = []
        var done: Set<String> = []
        func visit(_ n: String) -> [String]? {
            if onPath.contains(n) {
                let start = path.firstIndex(of: n)!
                return Array(path[start...]) + [n]
            }
            if done.contains(n) { return nil }
            onPath.insert(n)
            path.append(n)
            for d in graph[n] ?? [] { if let c = visit(d) { return c } }
            path.removeLast()
            onPath.remove(n)
            done.insert(n)
            return nil
        }
        return visit(key)
    }

    /// Every flag that depends on `key`, directly or through others, sorted. These are
    /// the flags a kill of `key` will switch off too.
    public static func dependents(of key: String, in flags: [Flag]) -> [String] {
        var reverse: [String: [String]] = [:]
        for f in flags { for d in f.dependsOn { reverse[d, default: []].append(f.key) } }
        var seen: Set<String> = []
        var stack = reverse[key] ?? []
        while let n = stack.popLast() {
            guard seen.insert(n).inserted else { continue }
            stack.append(contentsOf: reverse[n] ?? [])
        }
        seen.remove(key)
        return seen.sorted()
    }
}
