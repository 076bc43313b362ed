import Foundation

/// Applying an `ImportPlan`: one transaction for the whole plan, one audit event per
/// changed (flag, environment) with action `import`, plus `env.create` / `flag.create`
/// for what did not exist. A cell whose current export already equals the file's
/// feature is left alone, so re-importing the same tree writes nothing at all.
extension Operations {
    /// Returns the changes made (or, with `dryRun`, the changes that would be made).
    @discardableResult
    public func importPlan(_ plan: ImportPlan, dryRun: Bool = false, reason: String = "") throws -> [ImportChange] {
        let preview = try store.read { r in try importDiff(r, plan) }
        if dryRun || preview.isEmpty { return preview }
        return try transaction(AuditAction.importCells, flag: nil, env: nil, reason: reason) { tx in
            try tx.applyImport(plan, reason: reason)
        }
    }
    func importDiff(_ r: any StoreReading, _ plan: ImportPlan) throws -> [ImportChange] {
        var out: [ImportChange] = []
        let envs = Set(try r.environments().map(\.id))
        for e in plan.environments where !envs.contains(e) { out.append(ImportChange(kind: .createEnvironment, env: e.path)) }
        var flags: [String: Flag] = [:]
        for f in try r.flags() { flags[f.key] = f }
        for m in plan.flags {
            if let f = flags[m.key] {
                if let next = Self.applyMeta(m, to: f), next != f {
                    out.append(ImportChange(kind: .updateFlag, flag: m.key, before: StateJSON.encode(f), after: StateJSON.encode(next)))
                }
            } else {
                out.append(ImportChange(kind: .createFlag, flag: m.key))
            }
        }
        for c in plan.cells {
            let kind = plan.flags.first { $0.key == c.flagKey }?.valueKind ?? .boolean
            let current = envs.contains(c.env) && flags[c.flagKey] != nil ? try r.state(flag: c.flagKey, env: c.env) : nil
            let base = current ?? FlagState(flagKey: c.flagKey, env: c.env, changedAt: Date(timeIntervalSince1970: 0), changedBy: "")
            if let next = Self.importedState(base, c.definition, kind: kind) {
                out.append(ImportChange(kind: .updateCell, flag: c.flagKey, env: c.env.path,
                                        before: StateJSON.summary(base), after: StateJSON.encode(next)))
            }
        }
        return out
    }

    /// The cell after import, or nil when the file already describes it.
    static func importedState(_ s: FlagState, _ d: PowertoolsMapping.CellDefinition, kind: ValueKind) -> FlagState? {
        var next = s
        next.enabled = d.enabled
        next.rules = d.rules
        next.defaultValue = d.defaultValue
        if d.enabled { next.rolloutBasisPoints = d.rolloutBasisPoints }
        let (wantFeature, _) = PowertoolsMapping.feature(kind: kind, state: { var x = next; x.killed = false; return x }())
        let (haveFeature, _) = PowertoolsMapping.feature(kind: kind, state: { var x = s; x.killed = false; return x }())
        if JSONWriter.compact(wantFeature) == JSONWriter.compact(haveFeature) { return nil }
        // An exported killed cell reads "off". Re-importing that file must not turn the
        // kill into "disabled underneath", or a later unkill would not restore the
        // pre-kill state. So a killed cell whose file says exactly what we export for it
        // is unchanged.
        if s.killed {
            let (exported, _) = PowertoolsMapping.feature(kind: kind, state: s)
            if JSONWriter.compact(wantFeature) == JSONWriter.compact(exported) { return nil }
        }
        // A killed cell stays killed; the import changes what is underneath.
        return next
    }

    static func applyMeta(_ m: ImportPlan.FlagMeta, to f: Flag) -> Flag? {
        var next = f
        if let d = m.description { next.description = d }
        if let o = m.owner { next.owner = o }
        if let deps = m.dependsOn { next.dependsOn = deps }
        next.valueKind = m.valueKind
        return next
    }

}

extension Transaction {
    /// The whole plan in this one transaction: environments and flags it needs first, then
    /// each changed cell through the same cell rules as every other change.
    func applyImport(_ plan: ImportPlan, reason: String) throws -> [ImportChange] {
        var out: [ImportChange] = []
        let createReason = reason.isEmpty ? "import" : reason
        var envs = try w.environments()
        for e in plan.environments where !envs.contains(where: { $0.id == e }) {
            envs.append(try createEnvironment(e, protected: false, reason: createReason))
            out.append(ImportChange(kind: .createEnvironment, env: e.path))
        }
        var existing = try w.flags()
        var created: [Flag] = []
        for m in plan.flags {
            if let f = existing.first(where: { $0.key == m.key }) {
                guard let next = Operations.applyMeta(m, to: f), next != f else { continue }
                try authorizeAny(action: "edit flags")
                let n = try updateFlag(from: f, to: next, action: AuditAction.importCells, reason: reason)
                out.append(ImportChange(kind: .updateFlag, flag: f.key, before: StateJSON.encode(f), after: StateJSON.encode(n)))
                continue
            }
            // Dependencies may point at flags later in the plan: checked once all exist.
            try FlagKey.validate(m.key)
            try authorizeAny(action: "create flags")
            let flag = Flag(key: m.key, description: m.description ?? "", owner: m.owner, createdAt: now,
                            dependsOn: m.dependsOn ?? [], valueKind: m.valueKind)
            try w.insert(flag)
            for env in envs { try w.save(newCell(flag.key, env.id)) }
            try append(AuditAction.flagCreate, flag: flag.key, env: nil, before: nil, after: StateJSON.encode(flag),
                       reason: createReason)
            created.append(flag)
            existing.append(flag)
            out.append(ImportChange(kind: .createFlag, flag: flag.key))
        }
        for f in created { try validateDependencies(of: f, against: existing.filter { $0.key != f.key }) }
        for c in plan.cells {
            guard let current = try w.state(flag: c.flagKey, env: c.env),
                  let env = envs.first(where: { $0.id == c.env }) else {
                throw FlagDeckError.internalInvariant("import: no cell for \(c.flagKey) in \(c.env)")
            }
            let kind = existing.first { $0.key == c.flagKey }?.valueKind ?? .boolean
            guard let (next, _) = try change(current, in: env, .imported(c.definition, kind: kind), reason: reason,
                                             expectedVersion: nil) else { continue }
            out.append(ImportChange(kind: .updateCell, flag: c.flagKey, env: c.env.path,
                                    before: StateJSON.summary(current), after: StateJSON.encode(next)))
        }
        return out
    }
}
