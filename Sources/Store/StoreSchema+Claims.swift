import GRDB

extension StoreSchema {
    /// `claim_result`: the claims ledger of every succeeded `table` step, one row per claim and
    /// setting. The table step records each verdict as metrics whose `split` is the verdict's label
    /// (`C1 CIFAR-10-LT IF 100`; `C1 CIFAR-10-LT IF 100 · bf16` when the claim has a verdict per
    /// condition there; `C4` when nothing was tested): `claim_order`, `claim_verdict`
    /// (1 supported, 2 contradicted, 3 inconclusive, 4 indicative, 5 not run), `claim_effect`,
    /// `claim_low` / `claim_high` (95 % interval), `claim_leaning` (the side the point estimate lies
    /// on: 1 for the claim, −1 against, 0 on the boundary; absent from ledgers written before v5),
    /// `claim_n_a` / `claim_n_b`, `claim_published`, `claim_shortened`, and one `claim_run_a` /
    /// `claim_run_b` (or `claim_analysis_a` / `_b`) per run it rests on, whose value is the run's
    /// position in the table step's `runs` (`analyses`) input. The view turns those positions back into step names and keys, and reads the setting
    /// (epochs, recipe, precision — the train step's `precision`, fp32 when absent) from the train steps,
    /// each list in the order of the runs it rests on: side A's first, each side in input order.
    /// `pipeline` and `run_id` are those of the latest run that recorded the table step (ran or
    /// reused it), so one pipeline's current ledger can be told from another's, or an older one's.
    ///
    /// A view holds no data, so a migration that changes it recreates it from this, the current
    /// definition (v2 created it, v5 added `leaning`, v7 `pipeline` and `run_id`, v9 fixed the order
    /// of the lists, which `group_concat(DISTINCT …)` left to SQLite: "ldam,bce3s-paper" for a claim
    /// whose side A is BCE3S).
    static func createClaimResultView(_ db: Database) throws {
        try db.execute(sql: "DROP VIEW IF EXISTS claim_result")
        try db.execute(sql: """
            CREATE VIEW claim_result AS
            WITH verdict AS (
                SELECT m.step_key, m.split AS label,
                       max(CASE WHEN m.name = 'claim_order' THEN m.value END) AS ordinal,
                       max(CASE WHEN m.name = 'claim_verdict' THEN m.value END) AS code,
                       max(CASE WHEN m.name = 'claim_effect' THEN m.value END) AS effect,
                       max(CASE WHEN m.name = 'claim_low' THEN m.value END) AS low,
                       max(CASE WHEN m.name = 'claim_high' THEN m.value END) AS high,
                       max(CASE WHEN m.name = 'claim_leaning' THEN m.value END) AS leaning,
                       max(CASE WHEN m.name = 'claim_n_a' THEN m.value END) AS n_a,
                       max(CASE WHEN m.name = 'claim_n_b' THEN m.value END) AS n_b,
                       max(CASE WHEN m.name = 'claim_published' THEN m.value END) AS published,
                       max(CASE WHEN m.name = 'claim_shortened' THEN m.value END) AS shortened
                FROM metric m JOIN step s ON s.key = m.step_key
                WHERE s.kind = 'table' AND s.status = 'succeeded' AND m.name LIKE 'claim%' AND m.split IS NOT NULL
                GROUP BY m.step_key, m.split
            ),
            used AS (
                SELECT m.step_key, m.split AS label, i.input_step AS name, i.input_key AS key, m.name LIKE '%_a' AS side_a,
                       (m.name NOT LIKE '%_a') * 1000000 + i.position AS ordinal,
                       CASE WHEN m.name LIKE 'claim_run_%' THEN u.params_json
                            ELSE (SELECT t.params_json FROM step_input mi JOIN step t ON t.key = mi.input_key
                                  WHERE mi.step_key = i.input_key AND mi.input_name = 'model') END AS train_params
                FROM metric m
                JOIN step_input i ON i.step_key = m.step_key AND i.position = CAST(m.value AS INTEGER)
                     AND i.input_name = CASE WHEN m.name LIKE 'claim_run_%' THEN 'runs' ELSE 'analyses' END
                LEFT JOIN step u ON u.key = i.input_key
                WHERE m.name IN ('claim_run_a', 'claim_run_b', 'claim_analysis_a', 'claim_analysis_b')
            )
            SELECT s.name AS table_step,
                   CASE WHEN instr(v.label, ' ') > 0 THEN substr(v.label, 1, instr(v.label, ' ') - 1) ELSE v.label END AS claim,
                   CASE WHEN instr(v.label, ' ') > 0 THEN substr(v.label, instr(v.label, ' ') + 1) END AS setting,
                   CASE CAST(v.code AS INTEGER) WHEN 1 THEN 'supported' WHEN 2 THEN 'contradicted' WHEN 3 THEN 'inconclusive'
                        WHEN 4 THEN 'indicative' WHEN 5 THEN 'not run' END AS verdict,
                   CASE CAST(v.leaning AS INTEGER) WHEN 1 THEN 'for' WHEN -1 THEN 'against' WHEN 0 THEN 'on the boundary' END AS leaning,
                   v.effect, v.low, v.high, CAST(v.n_a AS INTEGER) AS n_a, CAST(v.n_b AS INTEGER) AS n_b, v.published,
                   CAST(v.shortened AS INTEGER) AS shortened,
                   (SELECT group_concat(x) FROM (SELECT json_extract(u.train_params, '$.epochs') AS x FROM used u
                    WHERE u.step_key = v.step_key AND u.label = v.label GROUP BY x ORDER BY min(u.ordinal))) AS epochs,
                   (SELECT group_concat(x) FROM (SELECT json_extract(u.train_params, '$.recipe') AS x FROM used u
                    WHERE u.step_key = v.step_key AND u.label = v.label GROUP BY x ORDER BY min(u.ordinal))) AS recipe,
                   (SELECT group_concat(x) FROM (SELECT coalesce(json_extract(u.train_params, '$.precision'),
                                                                 json_extract(u.train_params, '$.set_recipe.precision'), 'fp32') AS x FROM used u
                    WHERE u.step_key = v.step_key AND u.label = v.label AND u.train_params IS NOT NULL
                    GROUP BY x ORDER BY min(u.ordinal))) AS precision,
                   (SELECT group_concat(x, ', ') FROM (SELECT u.name AS x FROM used u
                    WHERE u.step_key = v.step_key AND u.label = v.label AND u.side_a ORDER BY u.ordinal)) AS steps_a,
                   (SELECT group_concat(x, ', ') FROM (SELECT u.name AS x FROM used u
                    WHERE u.step_key = v.step_key AND u.label = v.label AND NOT u.side_a ORDER BY u.ordinal)) AS steps_b,
                   (SELECT group_concat(x, ', ') FROM (SELECT u.key AS x FROM used u
                    WHERE u.step_key = v.step_key AND u.label = v.label ORDER BY u.ordinal)) AS step_keys,
                   v.step_key AS table_key,
                   (SELECT r.pipeline FROM run_step rs JOIN run r ON r.id = rs.run_id
                    WHERE rs.step_key = v.step_key AND rs.outcome IN ('ran', 'reused') ORDER BY rs.run_id DESC LIMIT 1) AS pipeline,
                   (SELECT max(rs.run_id) FROM run_step rs
                    WHERE rs.step_key = v.step_key AND rs.outcome IN ('ran', 'reused')) AS run_id
            FROM verdict v JOIN step s ON s.key = v.step_key
            ORDER BY s.name, v.ordinal;
            """)
    }
}
