/**
 * `skm doctor` — is this computer ready for security keys? One line per check of
 * main/service/doctor.ts (versions, USB access, keys seen and openable, the Linux udev rule,
 * pcscd and readers, Windows elevation), each OK or a problem with what to do; `--json` prints
 * the report itself (codes and facts). Exit code 1 when any check found a problem, so scripts
 * and fleet tooling can gate on it.
 * @module
 */
import type { CommandModule } from '../context.js';
import { ExitCode } from '../output.js';

export const doctorCommand: CommandModule = {
  register(program, services) {
    program
      .command('doctor')
      .description('Check this computer for what security keys need: USB access, udev rule, pcscd and readers, Windows administrator rights')
      .action(async () => {
        let problems = 0;
        await services.local('doctor', async () => {
          // Read only here: the probes load child_process and the Windows checks, which no other command needs.
          const [{ runDoctor }, { systemProbes }] = await Promise.all([import('../../service/doctor.js'), import('../../service/doctor-probes.js')]);
          const report = await runDoctor(systemProbes());
          problems = report.problems;
          const human: string[] = [];
          const width = Math.max(...report.checks.map((check) => services.copy.doctorLine(check).status.length));
          for (const check of report.checks) {
            const text = services.copy.doctorLine(check);
            human.push(`${text.status.padEnd(width)}  ${text.title}: ${text.result}`);
            for (const fix of text.fixes) human.push(...fix.split('\n').map((fixLine) => `${' '.repeat(width)}    ${fixLine}`));
            if (text.details !== undefined && services.globals().verbose) human.push(`${' '.repeat(width)}    Details: ${text.details}`);
          }
          human.push('', services.copy.doctorSummary(report));
          return { json: report, human };
        });
        if (problems > 0 && services.exitCode === ExitCode.ok) services.exitCode = ExitCode.failed;
      });
  },
};
