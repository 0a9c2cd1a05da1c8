// The volunteers service's messages, one module per area, each with the five languages.
import register from './register';
import tasks from './tasks';
import training from './training';
import pacts from './pacts';

type Language = 'it' | 'en' | 'fr' | 'ro' | 'ar';

export function volunteerMessages(language: Language) {
  return {
    register: register[language],
    tasks: tasks[language],
    training: training[language],
    pacts: pacts[language],
  };
}
