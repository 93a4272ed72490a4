/*
 * The baseline loader (itorisk audit --baseline FILE), which reads a path:
 * the input goes to a temporary file. A baseline that loads is applied to a
 * fresh audit of samples/bank (applying removes findings, so the audit is
 * redone per input), then written back as --write-baseline does and the
 * gated audit reported.
 */
#include "fuzz.h"

#include "itorisk/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const itr_model *bank;
	itr_baseline bl;
	itr_diags d;
	itr_audit a;
	itr_audit_opts o;
	itr_buf b;
	size_t expired;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	fuzz_setup();
	bank = fuzz_bank();
	itr_diags_init(&d);
	if (itr_baseline_load(&bl, fuzz_tmpfile(data, size), &d) != 0) {
		fuzz_diags(&d);
		itr_baseline_release(&bl);
		itr_diags_release(&d);
		return 0;
	}
	o = (itr_audit_opts){.as_of = fuzz_as_of(bank)};
	if (itr_audit_run_opts(&a, bank, &o) == 0) {
		itr_buf_init(&b);
		itr_baseline_write(&b, &a, &bl);
		itr_buf_release(&b);
		itr_baseline_apply(&a, &bl, &expired);
		fuzz_reports(&a);
	}
	itr_audit_release(&a);
	itr_baseline_release(&bl);
	itr_diags_release(&d);
	return 0;
}
